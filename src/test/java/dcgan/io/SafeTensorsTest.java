package dcgan.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dcgan.io.SafeTensors.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static float[] randomFloats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    @Test
    void roundTripKeepsOrderShapesBitsAndMetadata() throws IOException {
        Random r = new Random(1);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("main.0.weight", Tensor.of(randomFloats(r, 2 * 3 * 4 * 4), 2, 3, 4, 4));
        t.put("scalar", Tensor.of(new float[] {Float.NaN}, new int[0]));
        t.put("empty", Tensor.of(new float[0], 0, 5));
        t.put("a \"quoted\"\\name\n\u00e9\u4e2d", Tensor.of(new float[] {Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE}, 3));
        t.put("big", Tensor.of(randomFloats(r, 300_000), 300, 1000)); // crosses the 1 MiB chunk size
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "line1\nline2 \"q\" \u00fc");
        Path p = dir.resolve("x.safetensors");
        SafeTensors.write(p, t, meta);

        SafeTensors.Contents c = SafeTensors.readAll(p);
        assertEquals(new ArrayList<>(t.keySet()), new ArrayList<>(c.tensors().keySet()));
        for (var e : t.entrySet()) {
            Tensor got = c.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertBitsEqual(e.getValue().data(), got.data());
        }
        assertEquals(meta, c.metadata());

        byte[] bytes = Files.readAllBytes(p);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8, "header padded to 8 bytes");
        assertEquals(8 + headerLen + 4L * (96 + 1 + 0 + 3 + 300_000), bytes.length);
    }

    @Test
    void writeWithoutMetadataAndEmptyFile() throws IOException {
        Path p = dir.resolve("e.safetensors");
        SafeTensors.write(p, Map.of());
        SafeTensors.Contents c = SafeTensors.readAll(p);
        assertTrue(c.tensors().isEmpty());
        assertTrue(c.metadata().isEmpty());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
        Path p = dir.resolve("w.safetensors");
        SafeTensors.write(p, Map.of("a", Tensor.of(new float[] {1, 2}, 2)));
        SafeTensors.write(p, Map.of("b", Tensor.of(new float[] {3}, 1)));
        Map<String, Tensor> got = SafeTensors.read(p);
        assertEquals(List.of("b"), new ArrayList<>(got.keySet()));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList());
        }
    }

    @Test
    void writeRejectsBadNamesWithoutTouchingTheTarget() throws IOException {
        Path p = dir.resolve("n.safetensors");
        SafeTensors.write(p, Map.of("a", Tensor.of(new float[] {1}, 1)));
        byte[] before = Files.readAllBytes(p);
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(p, Map.of("__metadata__", Tensor.of(new float[] {1}, 1))));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, Map.of("", Tensor.of(new float[] {1}, 1))));
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void tensorRecordChecksShape() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0], -1, 0));
    }

    // ---------------------------------------------------------------------------- other dtypes

    private Path raw(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return rawBytes(h.length, h, data);
    }

    private Path rawBytes(long declaredHeaderLen, byte[] header, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLen).put(header).put(data);
        Path p = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static byte[] le(int bytesPer, long... values) {
        ByteBuffer b = ByteBuffer.allocate(bytesPer * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPer) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void readsOtherDtypesAsFloat() throws IOException {
        ByteBuffer f64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2.25);
        byte[] f16 = le(2, Float.floatToFloat16(0.5f), Float.floatToFloat16(-3f));
        byte[] bf16 = le(2, Float.floatToRawIntBits(1.5f) >>> 16, Float.floatToRawIntBits(-7f) >>> 16);
        byte[] i64 = le(8, 7, -3);
        byte[] i32 = le(4, 123456, -1);
        byte[] u8 = le(1, 255, 0);
        byte[] bool = le(1, 1, 0);
        byte[][] parts = {f64.array(), f16, bf16, i64, i32, u8, bool};
        String[] dt = {"F64", "F16", "BF16", "I64", "I32", "U8", "BOOL"};
        StringBuilder h = new StringBuilder("{");
        long off = 0;
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) h.append(',');
            h.append(entry(dt[i], dt[i], "[2]", off, off + parts[i].length));
            off += parts[i].length;
            data.write(parts[i]);
        }
        h.append("}   ");
        Map<String, Tensor> t = SafeTensors.read(raw(h.toString(), data.toByteArray()));
        assertArrayEquals(new float[] {1.5f, -2.25f}, t.get("F64").data());
        assertArrayEquals(new float[] {0.5f, -3f}, t.get("F16").data());
        assertArrayEquals(new float[] {1.5f, -7f}, t.get("BF16").data());
        assertArrayEquals(new float[] {7f, -3f}, t.get("I64").data());
        assertArrayEquals(new float[] {123456f, -1f}, t.get("I32").data());
        assertArrayEquals(new float[] {255f, 0f}, t.get("U8").data());
        assertArrayEquals(new float[] {1f, 0f}, t.get("BOOL").data());
    }

    // ---------------------------------------------------------------------------- damaged files

    private static final byte[] EIGHT = new byte[8];

    private void assertBad(Path p, String expectedFragment) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        String m = e.getMessage();
        assertTrue(m.startsWith("bad safetensors file "), m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one-line message: " + m);
        assertTrue(m.contains(expectedFragment), "message '" + m + "' should mention '" + expectedFragment + "'");
    }

    private void assertBadHeader(String header, byte[] data, String expectedFragment) throws IOException {
        assertBad(raw(header, data), expectedFragment);
    }

    @Test
    void rejectsShortFileAndBadHeaderLength() throws IOException {
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertBad(tiny, "shorter than the 8-byte header length");
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertBad(empty, "shorter than");

        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        assertBad(rawBytes(-1L, h, new byte[0]), "header length 18446744073709551615");
        assertBad(rawBytes(Long.MIN_VALUE, h, new byte[0]), "is not in [0,");
        assertBad(rawBytes(SafeTensors.MAX_HEADER_BYTES + 1, h, new byte[0]), "is not in [0,");
        assertBad(rawBytes(3, h, new byte[0]), "exceeds the 2 bytes after it");
        assertBad(rawBytes(0, new byte[0], new byte[0]), "malformed");
    }

    @Test
    void rejectsMalformedJson() throws IOException {
        assertBadHeader("{", new byte[0], "expected a string key");
        assertBadHeader("{\"a\":", new byte[0], "unexpected end");
        assertBadHeader("{} x", new byte[0], "unexpected text after");
        assertBadHeader("[]", new byte[0], "not an object");
        assertBadHeader("\"s\"", new byte[0], "not an object");
        assertBadHeader("{'a':1}", new byte[0], "expected a string key");
        assertBadHeader("{\"a\" 1}", new byte[0], "expected ':'");
        assertBadHeader("{\"a\":1 \"b\":2}", new byte[0], "expected ',' or '}'");
        assertBadHeader("{\"a\":[1 2]}", new byte[0], "expected ',' or ']'");
        assertBadHeader("{\"a\":tru}", new byte[0], "invalid literal");
        assertBadHeader("{\"a\":01}", new byte[0], "expected ',' or '}'");
        assertBadHeader("{\"a\":1.}", new byte[0], "bad number");
        assertBadHeader("{\"a\":-}", new byte[0], "bad number");
        assertBadHeader("{\"a\":\"x\\q\"}", new byte[0], "bad escape");
        assertBadHeader("{\"a\":\"x\\u12\"}", new byte[0], "hex digit");
        assertBadHeader("{\"a\":\"line\nbreak\"}", new byte[0], "control character");
        assertBadHeader("{\"a\":\"open}", new byte[0], "unterminated string");
        assertBadHeader("{\"__metadata__\":{},\"__metadata__\":{}}", new byte[0], "duplicate key");
        assertBadHeader("{\"a\":" + "[".repeat(200_000) + "}", new byte[0], "nesting deeper than");
        assertBad(rawBytes(4, new byte[] {'{', (byte) 0xC3, 0x28, '}'}, new byte[0]), "not valid UTF-8");
    }

    @Test
    void rejectsBadEntries() throws IOException {
        byte[] d8 = new byte[8];
        assertBadHeader("{\"t\":1}", d8, "tensor \"t\" is not an object");
        assertBadHeader("{\"t\":{\"shape\":[2],\"data_offsets\":[0,8]}}", d8, "dtype missing");
        assertBadHeader("{" + entry("t", "F8_E4M3", "[8]", 0, 8) + "}", d8, "unsupported dtype \"F8_E4M3\"");
        assertBadHeader("{" + entry("t", "C64", "[1]", 0, 8) + "}", d8, "unsupported dtype");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", d8, "shape missing");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2]}}", d8, "data_offsets missing");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", d8, "data_offsets missing");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", d8, "unknown field");
        assertBadHeader("{" + entry("t", "F32", "[-2]", 0, 8) + "}", d8, "is negative");
        assertBadHeader("{" + entry("t", "F32", "[2.0]", 0, 8) + "}", d8, "is not an integer");
        assertBadHeader("{" + entry("t", "F32", "[2e0]", 0, 8) + "}", d8, "is not an integer");
        assertBadHeader("{" + entry("t", "F32", "[\"2\"]", 0, 8) + "}", d8, "is not a number");
        assertBadHeader("{" + entry("t", "F32", "[99999999999999999999]", 0, 8) + "}", d8, "out of range");
        assertBadHeader("{" + entry("t", "F32", "[4294967296]", 0, 8) + "}", d8, "too large");
        // Element count overflowing int and long: must be refused before any allocation.
        assertBadHeader("{" + entry("t", "F32", "[2147483647,2147483647,2147483647,2147483647]", 0, 8) + "}", d8,
                "too many elements");
        assertBadHeader("{" + entry("t", "F32", "[65536,65536]", 0, 8) + "}", d8, "too many elements");
        assertBadHeader("{" + entry("t", "F32", "[3]", 0, 8) + "}", d8, "needs 12 bytes");
        assertBadHeader("{" + entry("t", "F64", "[2]", 0, 8) + "}", d8, "needs 16 bytes");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", d8, "end before they begin");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", d8, "is negative");
        assertBadHeader("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[9223372036854775800,9223372036854775808]}}",
                d8, "out of range");
        assertBadHeader("{\"__metadata__\":[]}", new byte[0], "__metadata__ is not an object");
        assertBadHeader("{\"__metadata__\":{\"k\":1}}", new byte[0], "is not a string");
    }

    @Test
    void rejectsBadOffsets() throws IOException {
        byte[] d8 = new byte[8];
        // Past the data section (a huge tensor declared in a tiny file: no allocation must happen).
        assertBadHeader("{" + entry("t", "F32", "[2]", 0, 8) + "}", new byte[4], "run past the 4-byte data section");
        assertBadHeader("{" + entry("t", "F32", "[100000000]", 0, 400_000_000) + "}", d8, "run past");
        // Overlap, gap, uncovered tail.
        assertBadHeader("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[1]", 4, 8) + "}", new byte[12],
                "overlap");
        assertBadHeader("{" + entry("a", "F32", "[1]", 4, 8) + "}", d8, "leave a gap after byte 0");
        assertBadHeader("{" + entry("a", "F32", "[1]", 0, 4) + "}", d8, "tensors cover 4 bytes but the data section has 8");
        assertBadHeader("{}", d8, "tensors cover 0 bytes");
        // Order in the header need not follow the data order.
        Map<String, Tensor> ok = SafeTensors.read(raw("{" + entry("b", "F32", "[1]", 4, 8) + ","
                + entry("a", "F32", "[1]", 0, 4) + "}", le(4, Float.floatToRawIntBits(1f), Float.floatToRawIntBits(2f))));
        assertEquals(List.of("b", "a"), new ArrayList<>(ok.keySet()));
        assertArrayEquals(new float[] {2f}, ok.get("b").data());
    }

    @Test
    void everyTruncationIsAnIOException() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        t.put("b", Tensor.of(new float[] {7}, 1));
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, t, Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        for (int len = 0; len < bytes.length; len++) {
            Files.write(cut, Arrays.copyOf(bytes, len));
            final int l = len;
            IOException e = assertThrows(IOException.class, () -> SafeTensors.read(cut), () -> "prefix of " + l + " bytes");
            assertFalse(e.getMessage().contains("\n"));
        }
        // Trailing bytes are damage too.
        Files.write(cut, Arrays.copyOf(bytes, bytes.length + 4));
        assertBad(cut, "data section has");
    }

    @Test
    void randomCorruptionNeverCrashes() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("main.0.weight", Tensor.of(new float[24], 2, 3, 2, 2));
        t.put("main.1.running_var", Tensor.of(new float[] {1, 1}, 2));
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, t, Map.of("step", "3"));
        byte[] bytes = Files.readAllBytes(good);
        Random r = new Random(42);
        Path bad = dir.resolve("bad.safetensors");
        int refused = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] b = bytes.clone();
            int flips = 1 + r.nextInt(3);
            for (int f = 0; f < flips; f++) {
                int at = r.nextInt(Math.min(b.length, 8 + 200)); // mostly the length and the header
                b[at] = (byte) (trial % 2 == 0 ? r.nextInt(256) : "0123456789[]{},:\"-eE.".charAt(r.nextInt(21)));
            }
            Files.write(bad, b);
            try {
                SafeTensors.read(bad);
            } catch (IOException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("bad safetensors file "), e.getMessage());
            } catch (RuntimeException | Error e) {
                fail("corruption " + trial + " crashed the reader: " + e);
            }
        }
        assertTrue(refused > 100, "most corruptions are detected, got " + refused);
    }
}
