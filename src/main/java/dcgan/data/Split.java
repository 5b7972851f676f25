package dcgan.data;

import java.util.Locale;

/** Which part of a dataset that has one: the training images or the held-out test images. */
public enum Split {
    TRAIN, TEST;

    /** "train" or "test". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "train" or "test" (any case). */
    public static Split parse(String s) {
        for (Split v : values()) if (v.id().equalsIgnoreCase(s == null ? "" : s.trim())) return v;
        throw new IllegalArgumentException("split must be train or test, got '" + s + "'");
    }
}
