package dcgan.cli;

import dcgan.backend.jvm.JvmBackend;
import dcgan.figures.ImageGrid;
import dcgan.model.Dcgan;
import dcgan.model.Sampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dcgan.cli.CliRun.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateCommandTest {
    @TempDir Path tmp;

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    static int[] pixels(Path png) throws IOException {
        return pixels(ImageIO.read(png.toFile()));
    }

    /** G's eval-mode images for the first n samples of seed, computed here without the command. */
    static float[] expected(Dcgan model, long seed, int n, boolean batchStats) {
        try (JvmBackend be = new JvmBackend(1)) {
            return new Sampler(be, model.generator, batchStats).runAll(Sampler.noise(seed, n, model.config.nz()), n);
        }
    }

    @Test
    void gridAndSinglesFromACheckpointMatchTheModel() throws IOException {
        Dcgan model = CliRun.randomModel(SMALL, 7);
        Path ckpt = CliRun.writeCheckpoint(model, tmp.resolve("m.ckpt"));
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--num", "10",
                "--seed", "3", "--grid", "--singles", "--threads", "1").ok();
        assertTrue(r.out().contains("samples.png"), r.out());
        BufferedImage grid = ImageIO.read(out.resolve("samples.png").toFile());
        assertEquals(8 * 34 + 2, grid.getWidth());    // make_grid: 8 per row, padding 2
        assertEquals(2 * 34 + 2, grid.getHeight());
        float[] want = expected(model, 3, 10, false);
        int img = SMALL.imageElements();
        assertArrayEquals(pixels(ImageGrid.make(want, 10, 3, 32, 32, 8, 2, true)), pixels(grid));
        for (int i = 0; i < 10; i++) {
            Path single = out.resolve(String.format("sample_%04d.png", i));
            assertArrayEquals(pixels(ImageGrid.toImage(want, i * img, 3, 32, 32, -1f, 1f)), pixels(single), "sample " + i);
        }
        assertFalse(Files.exists(out.resolve("sample_0010.png")));
        assertFalse(Files.exists(out.resolve("interpolation.png")));
    }

    @Test
    void tensorsHoldTheNoiseAndTheRawImages() throws IOException {
        Dcgan model = CliRun.randomModel(SMALL, 12);
        Path ckpt = CliRun.writeCheckpoint(model, tmp.resolve("m.ckpt"));
        Path out = tmp.resolve("t");
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--num", "5", "--seed", "4",
                "--tensors", "--threads", "1", "--backend", "jvm-plain").ok();
        assertFalse(Files.exists(out.resolve("samples.png")), "--tensors alone writes no grid");
        var c = dcgan.io.SafeTensors.readAll(out.resolve("samples.safetensors"));
        assertArrayEquals(new int[] {5, 16, 1, 1}, c.tensors().get("noise").shape());
        assertArrayEquals(Sampler.noise(4, 5, 16), c.tensors().get("noise").data());
        assertArrayEquals(new int[] {5, 3, 32, 32}, c.tensors().get("images").shape());
        assertArrayEquals(expected(model, 4, 5, false), c.tensors().get("images").data());
        assertEquals("4", c.metadata().get("seed"));
        assertEquals("running statistics", c.metadata().get("batchnorm"));
    }

    @Test
    void sampleIDoesNotDependOnNumOrBatching() throws IOException {
        Path ckpt = CliRun.writeCheckpoint(CliRun.randomModel(SMALL, 8), tmp.resolve("m.ckpt"));
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        // 70 samples run as batches of 35 + 35; 3 samples as one batch of 3
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", a.toString(), "--num", "70", "--singles", "--threads", "2").ok();
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", b.toString(), "--num", "3", "--singles", "--threads", "1").ok();
        for (int i = 0; i < 3; i++) {
            String f = String.format("sample_%04d.png", i);
            assertArrayEquals(pixels(a.resolve(f)), pixels(b.resolve(f)), f);
        }
        assertTrue(Files.exists(a.resolve("sample_0069.png")));
        assertFalse(Files.exists(a.resolve("samples.png")), "--singles alone writes no grid");
    }

    @Test
    void batchStatsUsesBatchStatisticsAndLeavesTheModelAlone() throws IOException {
        Dcgan model = CliRun.randomModel(SMALL, 9);
        Path ckpt = CliRun.writeCheckpoint(model, tmp.resolve("m.ckpt"));
        Path eval = tmp.resolve("eval"), train = tmp.resolve("train"), again = tmp.resolve("again");
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", eval.toString(), "--num", "8", "--threads", "1").ok();
        CliRun r = CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", train.toString(), "--num", "8",
                "--batch-stats", "--threads", "1").ok();
        assertTrue(r.out().contains("batch statistics"), r.out());
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", again.toString(), "--num", "8", "--threads", "1").ok();
        int[] e = pixels(eval.resolve("samples.png")), t = pixels(train.resolve("samples.png"));
        assertFalse(java.util.Arrays.equals(e, t), "batch statistics must differ from running statistics here");
        assertArrayEquals(pixels(ImageGrid.make(expected(model, 0, 8, true), 8, 3, 32, 32, 8, 2, true)), t);
        assertArrayEquals(e, pixels(again.resolve("samples.png")));
    }

    @Test
    void interpolationRowsStartAndEndAtTheSeedsNoise() throws IOException {
        Dcgan model = CliRun.randomModel(SMALL, 10);
        Path ckpt = CliRun.writeCheckpoint(model, tmp.resolve("m.ckpt"));
        for (boolean slerp : new boolean[] {false, true}) {
            Path out = tmp.resolve("walk" + slerp);
            CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--interpolate", "1:2",
                    "--interpolate", "5:-6", "--steps", "5", "--threads", "1", slerp ? "--slerp" : "--nrow=8").ok();
            assertFalse(Files.exists(out.resolve("samples.png")), "--interpolate alone writes no sample grid");
            BufferedImage img = ImageIO.read(out.resolve("interpolation.png").toFile());
            assertEquals(5 * 34 + 2, img.getWidth());
            assertEquals(2 * 34 + 2, img.getHeight());
            int nz = SMALL.nz();
            float[] z = new float[10 * nz];
            long[][] seeds = {{1, 2}, {5, -6}};
            for (int r = 0; r < 2; r++) {
                float[] row = Sampler.interpolate(Sampler.noise(seeds[r][0], 1, nz), Sampler.noise(seeds[r][1], 1, nz), 5, slerp);
                System.arraycopy(row, 0, z, r * 5 * nz, 5 * nz);
            }
            float[] want;
            try (JvmBackend be = new JvmBackend(1)) {
                want = new Sampler(be, model.generator, false).runAll(z, 10);
            }
            assertArrayEquals(pixels(ImageGrid.make(want, 10, 3, 32, 32, 5, 2, true)), pixels(img));
        }
    }

    @Test
    void pytorchGeneratorWeightsDirectlyWithSizesFromTheShapes() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("generate", "--generator", CliRun.fixture("dcgan_init_G.safetensors").toString(),
                "--out", out.toString(), "--num", "4", "--threads", "1").ok();
        assertTrue(r.out().contains("nz=16 ngf=8"), r.out());
        assertTrue(r.out().contains("image-size=32"), r.out());
        BufferedImage grid = ImageIO.read(out.resolve("samples.png").toFile());
        assertEquals(4 * 34 + 2, grid.getWidth());
        // sizes that contradict the weights
        CliRun.of("generate", "--generator", CliRun.fixture("dcgan_init_G.safetensors").toString(), "--nz", "100",
                "--out", out.toString()).fails("main.0.weight has shape [16, 32, 4, 4], expected [100, 32, 4, 4]");
    }

    @Test
    void badInputGivesOneLineErrors() throws IOException {
        Path ckpt = CliRun.writeCheckpoint(CliRun.randomModel(SMALL, 11), tmp.resolve("m.ckpt"));
        String c = ckpt.toString(), o = tmp.resolve("o").toString();
        CliRun.of("generate", "--out", o).fails("give either --checkpoint or --generator");
        CliRun.of("generate", "--checkpoint", c, "--generator", c, "--out", o).fails("give either --checkpoint or --generator");
        CliRun.of("generate", "--checkpoint", c).fails("--out");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--num", "0").fails("--num must be >= 1");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--num", "many").fails("--num");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--steps", "1", "--interpolate", "1:2").fails("--steps must be >= 2");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--interpolate", "1-2").fails("--interpolate takes SEED_A:SEED_B");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--nz", "16").fails("go with --generator");
        CliRun.of("generate", "--checkpoint", tmp.resolve("nope").toString(), "--out", o).fails("does not exist");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--backend", "cuda").fails("unknown backend 'cuda'");
        CliRun.of("generate", "--checkpoint", c, "--out", o, "--threads", "0").fails("--threads must be >= 1");
        Path damaged = tmp.resolve("damaged.ckpt");
        byte[] bytes = Files.readAllBytes(ckpt);
        bytes[bytes.length / 2] ^= 1;
        Files.write(damaged, bytes);
        CliRun.of("generate", "--checkpoint", damaged.toString(), "--out", o).fails("CRC-32 mismatch");
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        CliRun.of("generate", "--checkpoint", c, "--out", file.toString()).fails("is not a folder");
        CliRun.of("generate", "--generator", file.toString(), "--out", o).fails("bad safetensors file");
    }
}
