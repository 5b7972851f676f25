package dcgan.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch's own {@code torch.conv_transpose2d}, reached through a two-line TorchScript module that this class
 * writes in memory (a TorchScript archive is a zip of the module's source code and a pickle of its state;
 * nothing is read from disk, no Python is needed) and loads with DJL. Called in training mode, so libtorch's
 * autograd records it like any other op.
 */
final class NativeConvT {
    private final PtSymbolBlock k4s2p1, k4s1p0;

    NativeConvT(NDManager manager) {
        k4s2p1 = load(manager, "torch.conv_transpose2d(x, w, None, [2, 2], [1, 1])");
        k4s1p0 = load(manager, "torch.conv_transpose2d(x, w, None, [1, 1], [0, 0])");
    }

    /** ConvTranspose2d(k4, s2, p1, bias=False); w is [cin, cout, 4, 4]. */
    NDArray k4s2p1(NDArray x, NDArray w) {
        return IValueUtils.forward(k4s2p1, new NDList(x, w), true).singletonOrThrow();
    }

    /** ConvTranspose2d(k4, s1, p0, bias=False); w is [cin, cout, 4, 4]. */
    NDArray k4s1p0(NDArray x, NDArray w) {
        return IValueUtils.forward(k4s1p0, new NDList(x, w), true).singletonOrThrow();
    }

    private static PtSymbolBlock load(NDManager manager, String expr) {
        String code = "class ConvT(Module):\n"
                + "  __parameters__ = []\n"
                + "  __buffers__ = []\n"
                + "  training : bool\n"
                + "  def forward(self: __torch__.ConvT,\n"
                + "    x: Tensor,\n"
                + "    w: Tensor) -> Tensor:\n"
                + "    return " + expr + "\n";
        // data.pkl: pickle protocol 2 of a __torch__.ConvT object with state {"training": True}
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        pkl.writeBytes(new byte[] {(byte) 0x80, 2});
        pkl.writeBytes("c__torch__\nConvT\n".getBytes(StandardCharsets.US_ASCII));
        pkl.writeBytes(new byte[] {')', (byte) 0x81, '}', 'X', 8, 0, 0, 0});
        pkl.writeBytes("training".getBytes(StandardCharsets.US_ASCII));
        pkl.writeBytes(new byte[] {(byte) 0x88, 's', 'b', '.'});
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            entry(z, "convt/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            entry(z, "convt/data.pkl", pkl.toByteArray());
            entry(z, "convt/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            entry(z, "convt/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager,
                    new ByteArrayInputStream(zip.toByteArray()), false, false);
            return block;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void entry(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }
}
