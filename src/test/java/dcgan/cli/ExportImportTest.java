package dcgan.cli;

import dcgan.io.ModelCheckpoint;
import dcgan.io.PyTorchWeights;
import dcgan.io.SafeTensors;
import dcgan.io.SafeTensors.AnyTensor;
import dcgan.io.SafeTensors.LongTensor;
import dcgan.io.SafeTensors.Tensor;
import dcgan.model.Dcgan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dcgan.cli.CliRun.SMALL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportImportTest {
    @TempDir Path tmp;

    static final String G = "dcgan_init_G.safetensors", D = "dcgan_init_D.safetensors";

    /** The net's state equals the file's tensors: same names, shapes and bits; counts equal. */
    static void assertStateEquals(SafeTensors.TypedContents want, Dcgan.Net net) {
        Map<String, AnyTensor> have = PyTorchWeights.stateDict(net);
        assertEquals(List.copyOf(want.tensors().keySet()), List.copyOf(have.keySet()));
        for (var kv : want.tensors().entrySet()) {
            AnyTensor w = kv.getValue(), h = have.get(kv.getKey());
            assertArrayEquals(w.shape(), h.shape(), kv.getKey());
            if (w instanceof Tensor wt) {
                float[] a = wt.data(), b = ((Tensor) h).data();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), kv.getKey() + "[" + i + "]");
                }
            } else {
                assertArrayEquals(((LongTensor) w).data(), assertInstanceOf(LongTensor.class, h).data(), kv.getKey());
            }
        }
    }

    @Test
    void pytorchFixturesImportIntoAModelWhoseStateEqualsThem() throws IOException {
        Path ckpt = tmp.resolve("imported.ckpt");
        CliRun r = CliRun.of("import", "--generator", CliRun.fixture(G).toString(), "--discriminator", CliRun.fixture(D).toString(),
                "--out", ckpt.toString()).ok();
        assertTrue(r.out().contains("nz=16 ngf=8 ndf=8 nc=3 image-size=32"), r.out());
        Dcgan model = ModelCheckpoint.readModel(ckpt);
        assertEquals(SMALL, model.config);
        assertStateEquals(SafeTensors.readTyped(CliRun.fixture(G)), model.generator);
        assertStateEquals(SafeTensors.readTyped(CliRun.fixture(D)), model.discriminator);
        // and with every size given explicitly
        Path ckpt2 = tmp.resolve("explicit.ckpt");
        CliRun.of("import", "--generator", CliRun.fixture(G).toString(), "--discriminator", CliRun.fixture(D).toString(),
                "--nz", "16", "--ngf", "8", "--ndf", "8", "--nc", "3", "--image-size", "32", "--out", ckpt2.toString()).ok();
        assertStateEquals(SafeTensors.readTyped(CliRun.fixture(G)), ModelCheckpoint.readModel(ckpt2).generator);
    }

    @Test
    void exportWritesPyTorchNamesShapesAndDtypesExactly() throws IOException {
        Path ckpt = tmp.resolve("imported.ckpt"), dir = tmp.resolve("export");
        CliRun.of("import", "--generator", CliRun.fixture(G).toString(), "--discriminator", CliRun.fixture(D).toString(),
                "--out", ckpt.toString()).ok();
        CliRun r = CliRun.of("export", "--checkpoint", ckpt.toString(), "--out-dir", dir.toString()).ok();
        assertTrue(r.out().contains("netG.safetensors (19 tensors)"), r.out());
        for (String[] pair : new String[][] {{"netG.safetensors", G}, {"netD.safetensors", D}}) {
            SafeTensors.TypedContents got = SafeTensors.readTyped(dir.resolve(pair[0]));
            SafeTensors.TypedContents want = SafeTensors.readTyped(CliRun.fixture(pair[1]));
            assertEquals(want.dtypes(), got.dtypes(), "names in order and dtypes (F32, I64 num_batches_tracked)");
            Dcgan m = new Dcgan(SMALL);
            PyTorchWeights.load(pair[0].startsWith("netG") ? m.generator : m.discriminator, new PyTorchWeights.StateFile(pair[0], got), "it");
            assertStateEquals(want, pair[0].startsWith("netG") ? m.generator : m.discriminator);
            assertArrayEquals(new int[0], got.tensors().get(pair[0].startsWith("netG") ? "main.1.num_batches_tracked" : "main.3.num_batches_tracked").shape());
            assertEquals("16", got.metadata().get("nz"));
            assertEquals("32", got.metadata().get("image_size"));
            assertEquals("8", got.metadata().get("ndf"));
        }
    }

    @Test
    void exportImportRoundTripsBitExactly() throws IOException {
        Dcgan model = CliRun.randomModel(SMALL, 21);
        Path ckpt = CliRun.writeCheckpoint(model, tmp.resolve("a.ckpt"));
        Path e1 = tmp.resolve("e1"), e2 = tmp.resolve("e2"), back = tmp.resolve("b.ckpt");
        CliRun.of("export", "--checkpoint", ckpt.toString(), "--out-dir", e1.toString()).ok();
        CliRun.of("import", "--generator", e1.resolve("netG.safetensors").toString(),
                "--discriminator", e1.resolve("netD.safetensors").toString(), "--out", back.toString()).ok();
        Dcgan again = ModelCheckpoint.readModel(back);
        assertEquals(model.config, again.config);
        SafeTensors.TypedContents g = SafeTensors.readTyped(e1.resolve("netG.safetensors"));
        assertStateEquals(g, model.generator);
        assertStateEquals(g, again.generator);
        assertStateEquals(SafeTensors.readTyped(e1.resolve("netD.safetensors")), again.discriminator);
        assertEquals(12_345_678_901L + 3, ((LongTensor) g.tensors().get("main.1.num_batches_tracked")).data()[0]);
        CliRun.of("export", "--checkpoint", back.toString(), "--out-dir", e2.toString()).ok();
        for (String f : new String[] {"netG.safetensors", "netD.safetensors"}) {
            assertArrayEquals(Files.readAllBytes(e1.resolve(f)), Files.readAllBytes(e2.resolve(f)), f);
        }
    }

    @Test
    void generatorOnlyImportGetsAFreshDiscriminatorAndSamples() throws IOException {
        Path ckpt = tmp.resolve("g.ckpt");
        CliRun r = CliRun.of("import", "--generator", CliRun.fixture(G).toString(), "--out", ckpt.toString()).ok();
        assertTrue(r.out().contains("freshly initialised"), r.out());
        Dcgan m = ModelCheckpoint.readModel(ckpt);
        assertEquals(8, m.config.ndf());
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", tmp.resolve("s").toString(), "--num", "2", "--threads", "1").ok();
        assertTrue(Files.exists(tmp.resolve("s/samples.png")));
        CliRun.of("import", "--generator", CliRun.fixture(G).toString(), "--out", ckpt.toString()).fails("exists; add --force");
        CliRun.of("import", "--generator", CliRun.fixture(G).toString(), "--out", ckpt.toString(), "--force").ok();
    }

    /** The fixture's tensors, edited, as a new file. */
    Path edited(String fixture, java.util.function.Consumer<Map<String, AnyTensor>> edit) throws IOException {
        Map<String, AnyTensor> t = new LinkedHashMap<>(SafeTensors.readTyped(CliRun.fixture(fixture)).tensors());
        edit.accept(t);
        Path p = tmp.resolve("edited" + t.hashCode() + System.nanoTime() + ".safetensors");
        SafeTensors.writeTyped(p, t, Map.of());
        return p;
    }

    @Test
    void invalidWeightsGiveOneLineErrorsNamingTheTensors() throws IOException {
        String out = tmp.resolve("x.ckpt").toString(), g = CliRun.fixture(G).toString(), d = CliRun.fixture(D).toString();
        Path missing = edited(G, t -> { t.remove("main.4.bias"); t.remove("main.7.running_var"); });
        CliRun.of("import", "--generator", missing.toString(), "--out", out).fails("missing main.4.bias, main.7.running_var");
        Path extra = edited(G, t -> t.put("main.10.weight", Tensor.of(new float[4], 2, 2)));
        CliRun.of("import", "--generator", extra.toString(), "--out", out).fails("unexpected main.10.weight");
        CliRun.of("import", "--generator", g, "--nz", "100", "--out", out).fails("main.0.weight has shape [16, 32, 4, 4], expected [100, 32, 4, 4]");
        CliRun.of("import", "--generator", g, "--ngf", "4", "--out", out).fails("main.0.weight has shape [16, 32, 4, 4], expected [16, 16, 4, 4]");
        CliRun.of("import", "--generator", g, "--discriminator", g, "--out", out).fails("is not the Discriminator's state_dict");
        CliRun.of("import", "--generator", d, "--out", out).fails("looks like a Discriminator's state_dict");
        CliRun.of("import", "--generator", d, "--nz", "16", "--ngf", "8", "--nc", "3", "--image-size", "32", "--out", out)
                .fails("is not the Generator's state_dict for nz=16 ngf=8 nc=3 image-size=32: missing main.1.weight");
        Path floatCount = edited(G, t -> t.put("main.1.num_batches_tracked", Tensor.of(new float[] {0}, new int[0])));
        CliRun.of("import", "--generator", floatCount.toString(), "--out", out).fails("main.1.num_batches_tracked is F32, expected an integer tensor");
        Path nan = edited(G, t -> ((Tensor) t.get("main.3.weight")).data()[5] = Float.NaN);
        CliRun.of("import", "--generator", nan.toString(), "--out", out).fails("main.3.weight holds NaN at index 5");
        Path negVar = edited(G, t -> ((Tensor) t.get("main.1.running_var")).data()[0] = -1f);
        CliRun.of("import", "--generator", negVar.toString(), "--out", out).fails("negative variance");
        Path truncated = tmp.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(CliRun.fixture(G));
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        CliRun.of("import", "--generator", truncated.toString(), "--out", out).fails("bad safetensors file");
        Path garbage = tmp.resolve("garbage.safetensors");
        Files.writeString(garbage, "this is not a safetensors file at all");
        CliRun.of("import", "--generator", garbage.toString(), "--out", out).fails("bad safetensors file");
        CliRun.of("import", "--generator", tmp.resolve("absent").toString(), "--out", out).fails("does not exist");
        CliRun.of("import", "--generator", g, "--image-size", "48", "--out", out).fails("image size must be 32, 64 or 128");
        CliRun.of("import", "--out", out).fails("--generator");
        assertTrue(!Files.exists(Path.of(out)), "no checkpoint is written on failure");
        // many problems at once stay on one line, listing a few
        List<String> names = new ArrayList<>();
        Path empty = edited(G, t -> { names.addAll(t.keySet()); t.clear(); t.put("x", Tensor.of(new float[1], 1)); });
        CliRun.of("import", "--generator", empty.toString(), "--nz", "16", "--ngf", "8", "--nc", "3", "--image-size", "32", "--out", out)
                .fails("missing main.0.weight, main.1.weight, main.1.bias, main.1.running_mean, main.1.running_var, main.1.num_batches_tracked and 13 more; unexpected x");
    }

    @Test
    void exportErrors() throws IOException {
        CliRun.of("export", "--checkpoint", tmp.resolve("none").toString(), "--out-dir", tmp.toString()).fails("does not exist");
        Path ckpt = CliRun.writeCheckpoint(CliRun.randomModel(SMALL, 1), tmp.resolve("a.ckpt"));
        CliRun.of("export", "--checkpoint", ckpt.toString(), "--out-dir", ckpt.toString()).fails("is not a folder");
        CliRun.of("export", "--checkpoint", CliRun.fixture(G).toString(), "--out-dir", tmp.toString()).fails("not a dcgan checkpoint");
        CliRun.of("export", "--out-dir", tmp.toString()).fails("--checkpoint");
    }
}
