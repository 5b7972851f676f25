package dcgan.eval;

import dcgan.io.SafeTensors;
import dcgan.io.SafeTensors.AnyTensor;
import dcgan.io.SafeTensors.LongTensor;
import dcgan.io.SafeTensors.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;

/** src/test/resources/fixtures/fid_kid.safetensors, written by scripts/make_eval_fixtures.py. */
final class FidKidFixture {
    private final SafeTensors.TypedContents contents;

    private FidKidFixture(SafeTensors.TypedContents contents) {
        this.contents = contents;
    }

    static FidKidFixture load() {
        URL url = FidKidFixture.class.getResource("/fixtures/fid_kid.safetensors");
        if (url == null) throw new IllegalStateException("missing fixture fid_kid.safetensors; run scripts/make_eval_fixtures.py");
        try {
            return new FidKidFixture(SafeTensors.readTyped(Path.of(url.toURI())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Features features(String name) {
        Tensor t = (Tensor) tensor(name);
        return new Features(t.data(), t.shape()[0], t.shape()[1]);
    }

    /** Row s of an I64 [subsets, size] index tensor. */
    int[] indices(String name, int s) {
        LongTensor t = (LongTensor) tensor(name);
        int size = t.shape()[1];
        return Arrays.stream(t.data(), s * size, (s + 1) * size).mapToInt(Math::toIntExact).toArray();
    }

    int rows(String name) {
        return tensor(name).shape()[0];
    }

    double number(String key) {
        return Double.parseDouble(meta(key));
    }

    double[] numbers(String key) {
        return Arrays.stream(meta(key).split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private String meta(String key) {
        String v = contents.metadata().get(key);
        if (v == null) throw new IllegalArgumentException("fid_kid.safetensors has no metadata " + key);
        return v;
    }

    private AnyTensor tensor(String name) {
        AnyTensor t = contents.tensors().get(name);
        if (t == null) throw new IllegalArgumentException("fid_kid.safetensors has no tensor " + name);
        return t;
    }
}
