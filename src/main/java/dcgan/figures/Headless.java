package dcgan.figures;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;

/** AWT set-up for drawing figures on a machine without a display. */
final class Headless {
    private static volatile String fontProblem;   // null = not checked yet, "" = fonts work
    private Headless() {}

    /** Makes AWT run headless (no display needed) unless the user chose otherwise; call before any AWT use. */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /**
     * Checks once that text can be drawn. A JDK on a machine without fontconfig or any font fails deep inside AWT
     * (e.g. a NullPointerException in sun.awt.FontConfiguration); this turns that into one clear line.
     *
     * @throws IllegalStateException naming the Debian packages to install
     */
    static void checkFonts() {
        String p = fontProblem;
        if (p == null) {
            try {
                ensure();
                String[] families = GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
                BufferedImage img = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                int width = g.getFontMetrics().stringWidth("Loss");
                g.drawString("Loss", 2, 15);
                g.dispose();
                p = families.length == 0 || width <= 0 ? "no font found" : "";
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) {
                p = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            }
            fontProblem = p;
        }
        if (!p.isEmpty())
            throw new IllegalStateException("cannot draw text in figures (" + p.replaceAll("\\s+", " ")
                    + "); install fontconfig and a font, e.g. on Debian/Ubuntu: apt-get install fontconfig fonts-dejavu-core");
    }
}
