package dcgan.io;

/** Makes AWT run headless (no display needed) unless the user chose otherwise; call before any AWT use. */
final class Headless {
    private Headless() {}

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }
}
