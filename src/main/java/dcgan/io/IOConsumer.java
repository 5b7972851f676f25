package dcgan.io;

import java.io.IOException;

/** A consumer that may throw {@link IOException}: the body of {@link AtomicFiles#write}. */
@FunctionalInterface
public interface IOConsumer<T> {
    void accept(T t) throws IOException;
}
