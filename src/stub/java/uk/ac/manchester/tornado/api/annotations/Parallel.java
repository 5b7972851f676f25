package uk.ac.manchester.tornado.api.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Compile-time stand-in for TornadoVM's {@code @Parallel}, used only when no TornadoVM SDK is present
 * (TornadoVM's jars are not published where this project builds). It declares the same type name,
 * retention and targets, so a kernel's bytecode refers to TornadoVM's annotation exactly as if compiled
 * against tornado-api. It is excluded from dcgan.jar: at run time under TornadoVM, the SDK's class is used.
 */
@Target({ElementType.LOCAL_VARIABLE, ElementType.TYPE, ElementType.TYPE_USE, ElementType.TYPE_PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface Parallel {
}
