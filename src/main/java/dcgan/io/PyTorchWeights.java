package dcgan.io;

import dcgan.io.SafeTensors.AnyTensor;
import dcgan.io.SafeTensors.LongTensor;
import dcgan.io.SafeTensors.Tensor;
import dcgan.model.Dcgan;
import dcgan.model.Upsampling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * G's and D's weights as PyTorch state_dicts in safetensors files, so that the tutorial's
 * {@code netG.load_state_dict(...)} takes what Java trained, and Java samples from what PyTorch trained.
 *
 * <p>Names are the state_dict keys exactly (main.0.weight, main.1.weight, main.1.bias, main.1.running_mean,
 * main.1.running_var, main.1.num_batches_tracked, ...), in PyTorch's order. Shapes are PyTorch's: Conv2d
 * [cout, cin, k, k], ConvTranspose2d [cin, cout, k, k], BatchNorm [c]; weights and running statistics are F32,
 * num_batches_tracked an I64 scalar (shape []). The metadata holds the model configuration (nz, ngf, ndf, nc,
 * image_size, upsampling).
 *
 * <p>Loading validates everything before it copies anything: every expected tensor present with its exact shape,
 * floating point for weights and an integer type for num_batches_tracked, no unexpected tensors, finite values,
 * non-negative running variances and counts. Problems are reported together in one line.
 */
public final class PyTorchWeights {
    public static final String GENERATOR_FILE = "netG.safetensors", DISCRIMINATOR_FILE = "netD.safetensors";
    private static final String NBT = ".num_batches_tracked";
    private static final int MAX_LISTED = 6;

    private PyTorchWeights() {}

    /** The net's state_dict: F32 tensors sharing the model's arrays, and num_batches_tracked as I64 scalars. */
    public static Map<String, AnyTensor> stateDict(Dcgan.Net net) {
        Map<String, Long> counts = new HashMap<>();
        for (Dcgan.BatchNorm bn : net.batchNorms()) counts.put(prefixOf(bn.weightName()), bn.batchesTracked);
        Map<String, AnyTensor> out = new LinkedHashMap<>();
        for (Dcgan.Buffer b : net.state()) {
            out.put(b.name(), new Tensor(b.shape().clone(), b.data()));
            if (b.name().endsWith(".running_var")) {
                String prefix = b.name().substring(0, b.name().length() - ".running_var".length());
                Long n = counts.get(prefix);
                if (n != null) out.put(prefix + NBT, LongTensor.scalar(n));
            }
        }
        return out;
    }

    /** The metadata written with both files: the model configuration. */
    public static Map<String, String> metadata(Dcgan.Config c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nz", Integer.toString(c.nz()));
        m.put("ngf", Integer.toString(c.ngf()));
        m.put("ndf", Integer.toString(c.ndf()));
        m.put("nc", Integer.toString(c.nc()));
        m.put("image_size", Integer.toString(c.imageSize()));
        m.put("upsampling", c.upsampling().id);
        m.put("format", "pytorch state_dict (dcgan export)");
        return m;
    }

    /** Writes dir/netG.safetensors and dir/netD.safetensors; returns their paths. */
    public static List<Path> export(Dcgan model, Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        Map<String, String> meta = metadata(model.config);
        Path g = dir.resolve(GENERATOR_FILE), d = dir.resolve(DISCRIMINATOR_FILE);
        SafeTensors.writeTyped(g, stateDict(model.generator), meta);
        SafeTensors.writeTyped(d, stateDict(model.discriminator), meta);
        return List.of(g, d);
    }

    /** A state_dict file as read: its tensors and dtypes, and its name for messages. */
    public record StateFile(String label, SafeTensors.TypedContents contents) {
        public static StateFile read(Path path) throws IOException {
            if (!java.nio.file.Files.exists(path)) throw new IOException(path + " does not exist");
            if (java.nio.file.Files.isDirectory(path)) throw new IOException(path + " is a folder, not a safetensors file");
            return new StateFile(path.toString(), SafeTensors.readTyped(path));
        }

        Map<String, AnyTensor> tensors() {
            return contents.tensors();
        }

        int[] shape(String name) {
            AnyTensor t = tensors().get(name);
            return t == null ? null : t.shape();
        }
    }

    /**
     * Copies a state_dict into net after checking that it is exactly net's state_dict.
     *
     * @param what for messages, e.g. "the Generator for nz=100 ngf=64 nc=3 image-size=64"
     * @throws IOException one line naming every missing, unexpected, misshapen or damaged tensor
     */
    public static void load(Dcgan.Net net, StateFile file, String what) throws IOException {
        Map<String, AnyTensor> want = stateDict(net);
        Map<String, AnyTensor> have = file.tensors();
        List<String> missing = new ArrayList<>(), problems = new ArrayList<>(), unexpected = new ArrayList<>();
        for (Map.Entry<String, AnyTensor> kv : want.entrySet()) {
            String name = kv.getKey();
            AnyTensor w = kv.getValue(), h = have.get(name);
            if (h == null) {
                missing.add(name);
                continue;
            }
            if (!Arrays.equals(w.shape(), h.shape())) {
                problems.add(name + " has shape " + Arrays.toString(h.shape()) + ", expected " + Arrays.toString(w.shape()));
                continue;
            }
            String dtype = file.contents().dtypes().get(name);
            if (w instanceof LongTensor) {
                if (!(h instanceof LongTensor lt)) {
                    problems.add(name + " is " + dtype + ", expected an integer tensor (I64)");
                } else if (lt.data()[0] < 0) {
                    problems.add(name + " is negative (" + lt.data()[0] + ")");
                }
            } else if (!(h instanceof Tensor t)) {
                problems.add(name + " is " + dtype + ", expected a floating-point tensor (F32)");
            } else {
                String bad = checkValues(name, t.data());
                if (bad != null) problems.add(bad);
            }
        }
        for (String name : have.keySet()) if (!want.containsKey(name)) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !problems.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add("missing " + list(missing));
            if (!unexpected.isEmpty()) parts.add("unexpected " + list(unexpected));
            if (!problems.isEmpty()) parts.add(list(problems));
            throw new IOException(file.label() + " is not " + what + ": " + String.join("; ", parts));
        }
        // Valid: copy.
        Map<String, Dcgan.BatchNorm> bns = new HashMap<>();
        for (Dcgan.BatchNorm bn : net.batchNorms()) bns.put(prefixOf(bn.weightName()) + NBT, bn);
        for (Map.Entry<String, AnyTensor> kv : want.entrySet()) {
            AnyTensor h = have.get(kv.getKey());
            switch (kv.getValue()) {
                case Tensor w -> System.arraycopy(((Tensor) h).data(), 0, w.data(), 0, w.data().length);
                case LongTensor w -> bns.get(kv.getKey()).batchesTracked = ((LongTensor) h).data()[0];
            }
        }
    }

    private static String checkValues(String name, float[] a) {
        boolean var = name.endsWith(".running_var");
        for (int i = 0; i < a.length; i++) {
            float v = a[i];
            if (!Float.isFinite(v)) return name + " holds " + v + " at index " + i + " (a diverged or damaged model?)";
            if (var && v < 0) return name + " holds a negative variance " + v + " at index " + i;
        }
        return null;
    }

    private static String list(List<String> items) {
        if (items.size() <= MAX_LISTED) return String.join(", ", items);
        return String.join(", ", items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }

    private static String prefixOf(String weightName) {
        return weightName.substring(0, weightName.length() - ".weight".length());
    }

    /** What {@link #load} expects, for messages. */
    public static String describeGenerator(Dcgan.Config c) {
        return "the Generator's state_dict for nz=" + c.nz() + " ngf=" + c.ngf() + " nc=" + c.nc() + " image-size=" + c.imageSize()
                + (c.upsampling() == Upsampling.CONVT_K4S2 ? "" : " upsampling=" + c.upsampling().id);
    }

    public static String describeDiscriminator(Dcgan.Config c) {
        return "the Discriminator's state_dict for ndf=" + c.ndf() + " nc=" + c.nc() + " image-size=" + c.imageSize();
    }

    // ------------------------------------------------------------------------------------------ inference

    /** Sizes given on the command line (null = not given). */
    public record Sizes(Integer nz, Integer ngf, Integer ndf, Integer nc, Integer imageSize) {}

    /**
     * The model configuration: the sizes given, the rest inferred from the tutorial layout's shapes. G's
     * main.0.weight is [nz, ngf·imageSize/8, 4, 4], its last ConvTranspose2d main.{3b}.weight [ngf, nc, 4, 4]
     * with b stride-2 blocks (imageSize = 4·2^b); D's main.0.weight is [ndf, nc, 4, 4] and its last Conv2d is
     * main.{3b-1}.weight. Sizes that disagree with the shapes are caught by {@link #load} afterwards.
     *
     * @param g the generator's file, or null
     * @param d the discriminator's file, or null; without it ndf defaults to ngf (the tutorial uses ndf = ngf)
     */
    public static Dcgan.Config config(Sizes given, StateFile g, StateFile d) throws IOException {
        Upsampling up = Upsampling.CONVT_K4S2;
        for (StateFile f : new StateFile[] {g, d}) {
            if (f == null) continue;
            String u = f.contents().metadata().get("upsampling");
            if (u != null) {
                try {
                    up = Upsampling.parse(u);
                } catch (IllegalArgumentException e) {
                    throw new IOException(f.label() + ": metadata: " + e.getMessage());
                }
            }
        }
        Integer nz = given.nz(), ngf = given.ngf(), ndf = given.ndf(), nc = given.nc(), size = given.imageSize();
        if (g != null) {
            int[] first = g.shape("main.0.weight");
            if (nz == null && first != null && first.length == 4) nz = first[0];
            int last = lastWeight(g);
            if (last > 0 && last % 3 == 0) {
                int[] s = g.shape("main." + last + ".weight");
                if (ngf == null) ngf = s[0];
                if (nc == null) nc = s[1];
                if (size == null && last / 3 < 16) size = 4 << (last / 3);
            }
        }
        if (d != null) {
            int[] first = d.shape("main.0.weight");
            if (first != null && first.length == 4) {
                if (ndf == null) ndf = first[0];
                if (nc == null) nc = first[1];
            }
            int last = lastWeight(d);
            if (size == null && last > 1 && last % 3 == 2 && (last + 1) / 3 < 16) size = 4 << ((last + 1) / 3);
        }
        if (ndf == null && d == null) ndf = ngf;
        String from = g != null ? g.label() : d != null ? d.label() : "the options";
        if (g != null && (ngf == null || nc == null || size == null) && looksLikeDiscriminator(g)) {
            throw new IllegalArgumentException(g.label() + " looks like a Discriminator's state_dict (its last layer has one "
                    + "output channel), not a Generator's");
        }
        if (nz == null) nz = need("nz", g, from);
        if (ngf == null) ngf = need("ngf", g, from);
        if (ndf == null) ndf = need("ndf", d, from);
        if (nc == null) nc = need("nc", g != null ? g : d, from);
        if (size == null) size = need("image-size", g != null ? g : d, from);
        try {
            return new Dcgan.Config(nz, ngf, ndf, nc, size, up);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (from " + from + " and the options)");
        }
    }

    private static int need(String option, StateFile f, String from) {
        throw new IllegalArgumentException("cannot tell --" + option + " from " + (f != null ? f.label() : from)
                + " (its shapes do not follow the tutorial's layout); give --" + option);
    }

    /** D's layout: the last convolution main.{3b-1}.weight is [1, c, 4, 4]. */
    private static boolean looksLikeDiscriminator(StateFile f) {
        int last = lastWeight(f);
        return last > 1 && last % 3 == 2 && f.shape("main." + last + ".weight")[0] == 1;
    }

    /** The largest i with a rank-4 main.i.weight, or -1. */
    private static int lastWeight(StateFile f) {
        int best = -1;
        for (Map.Entry<String, AnyTensor> kv : f.tensors().entrySet()) {
            String n = kv.getKey();
            if (!n.startsWith("main.") || !n.endsWith(".weight") || kv.getValue().shape().length != 4) continue;
            String idx = n.substring(5, n.length() - 7);
            if (idx.isEmpty() || idx.length() > 4 || !idx.chars().allMatch(Character::isDigit)) continue;
            best = Math.max(best, Integer.parseInt(idx));
        }
        return best;
    }
}
