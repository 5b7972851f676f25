package dcgan.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {str: str}}},
 * then the raw little-endian tensor data; offsets are relative to the start of the data section.
 *
 * <p>Reading validates the whole header before it allocates anything large: header length (at most
 * {@link #MAX_HEADER_BYTES} and within the file), well-formed JSON (strict UTF-8, bounded nesting, no
 * duplicate keys), known dtypes, non-negative shapes whose element count times the dtype size equals the
 * offsets' span, and offsets that lie in the data section, do not overlap and cover it exactly (as the
 * reference implementation requires). Anything wrong gives an {@link IOException} with a one-line message.
 * {@link #read} converts every dtype to float: F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL;
 * {@link #readTyped} keeps integer dtypes exact as longs.
 *
 * <p>Writing produces F32 tensors ({@link Tensor}) and I64 tensors ({@link LongTensor}), in map order, with
 * the header padded by spaces to a multiple of 8 bytes (as the reference writer does), through {@link AtomicFiles},
 * so a reader sees the old file or the new one. The header's JSON is read by {@link Json}.
 */
public final class SafeTensors {
    /** Largest header accepted, in bytes. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** Largest element count of one tensor: what a Java float[] can hold. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    static final String METADATA_KEY = "__metadata__";
    private static final int MAX_JSON_DEPTH = 64;
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {}

    /** A tensor of either kind: {@link Tensor} (written as F32) or {@link LongTensor} (written as I64). */
    public sealed interface AnyTensor permits Tensor, LongTensor {
        int[] shape();

        int numel();
    }

    /** A float tensor in row-major order. Arrays are held, not copied; equality is by reference. */
    public record Tensor(int[] shape, float[] data) implements AnyTensor {
        public Tensor {
            if (shape == null || data == null) throw new IllegalArgumentException("shape and data must not be null");
            checkShape(shape, data.length);
        }

        public static Tensor of(float[] data, int... shape) {
            return new Tensor(shape.clone(), data);
        }

        public int numel() {
            return data.length;
        }

        @Override
        public String toString() {
            return "Tensor" + Arrays.toString(shape);
        }
    }

    /**
     * An integer tensor in row-major order, e.g. PyTorch's num_batches_tracked (shape [], one value). Arrays are
     * held, not copied.
     */
    public record LongTensor(int[] shape, long[] data) implements AnyTensor {
        public LongTensor {
            if (shape == null || data == null) throw new IllegalArgumentException("shape and data must not be null");
            checkShape(shape, data.length);
        }

        /** A scalar (shape []), as PyTorch stores num_batches_tracked. */
        public static LongTensor scalar(long value) {
            return new LongTensor(new int[0], new long[] {value});
        }

        public int numel() {
            return data.length;
        }

        @Override
        public String toString() {
            return "LongTensor" + Arrays.toString(shape);
        }
    }

    private static void checkShape(int[] shape, int length) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
            if (n > MAX_ELEMENTS) throw new IllegalArgumentException("shape too large: " + Arrays.toString(shape));
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements but data has " + length);
        }
    }

    /** A whole file: tensors in header order and the optional string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /**
     * A whole file read by {@link #readTyped}: tensors in header order, each tensor's dtype as stored ("F32",
     * "I64", ...) and the optional string metadata.
     */
    public record TypedContents(Map<String, AnyTensor> tensors, Map<String, String> dtypes, Map<String, String> metadata) {}

    /** Element types of the format that this reader converts to float. */
    enum DType {
        F64(8, false), F32(4, false), F16(2, false), BF16(2, false),
        I64(8, true), I32(4, true), I16(2, true), I8(1, true), U8(1, true), BOOL(1, true);
        final int size;
        final boolean integral;

        DType(int size, boolean integral) {
            this.size = size;
            this.integral = integral;
        }

        static DType parse(String s) {
            for (DType d : values()) if (d.name().equals(s)) return d;
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    public static Map<String, Tensor> read(Path path) throws IOException {
        return readAll(path).tensors();
    }

    public static Contents readAll(Path path) throws IOException {
        TypedContents t = readImpl(path, false);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, AnyTensor> kv : t.tensors().entrySet()) tensors.put(kv.getKey(), (Tensor) kv.getValue());
        return new Contents(Collections.unmodifiableMap(tensors), t.metadata());
    }

    /**
     * Reads a file keeping each tensor's type: floating dtypes (F32, F64, F16, BF16) as {@link Tensor}, integer
     * dtypes and BOOL as exact {@link LongTensor}s (PyTorch's num_batches_tracked is an I64 scalar).
     */
    public static TypedContents readTyped(Path path) throws IOException {
        return readImpl(path, true);
    }

    private static TypedContents readImpl(Path path, boolean typed) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) throw bad(path, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path);
            long headerLen = lenBuf.getLong(0);
            if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
                throw bad(path, "header length " + Long.toUnsignedString(headerLen) + " is not in [0, " + MAX_HEADER_BYTES + "]");
            }
            if (headerLen > fileSize - 8) {
                throw bad(path, "header length " + headerLen + " exceeds the " + (fileSize - 8) + " bytes after it (truncated file?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8, path);
            String json;
            try {
                json = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(hb.flip()).toString();
            } catch (CharacterCodingException e) {
                throw bad(path, "header is not valid UTF-8");
            }
            long dataStart = 8 + headerLen;
            Header header;
            try {
                header = parseHeader(json, fileSize - dataStart);
            } catch (FormatException e) {
                throw bad(path, e.getMessage());
            }
            Map<String, AnyTensor> tensors = new LinkedHashMap<>();
            Map<String, String> dtypes = new LinkedHashMap<>();
            for (Entry e : header.entries) {
                dtypes.put(e.name, e.dtype.name());
                if (typed && e.dtype.integral) {
                    long[] data = new long[(int) e.numel];
                    readLongData(ch, dataStart + e.begin, e.dtype, data, path);
                    tensors.put(e.name, new LongTensor(e.shape, data));
                } else {
                    float[] data = new float[(int) e.numel];
                    readData(ch, dataStart + e.begin, e.dtype, data, path, e.name);
                    tensors.put(e.name, new Tensor(e.shape, data));
                }
            }
            return new TypedContents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(dtypes), header.metadata);
        }
    }

    private record Entry(String name, DType dtype, int[] shape, long numel, long begin, long end) {}

    private record Header(List<Entry> entries, Map<String, String> metadata) {}

    static final class FormatException extends Exception {
        FormatException(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses and validates a header for a data section of dataLen bytes. Visible for tests. */
    static Header parseHeader(String json, long dataLen) throws FormatException {
        Object root;
        try {
            root = Json.parse(json, MAX_JSON_DEPTH);
        } catch (Json.SyntaxException e) {
            throw new FormatException("header JSON " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) throw new FormatException("header JSON is not an object");
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        for (Map.Entry<?, ?> kv : top.entrySet()) {
            String name = (String) kv.getKey();
            Object value = kv.getValue();
            if (name.equals(METADATA_KEY)) {
                metadata = parseMetadata(value);
                continue;
            }
            entries.add(parseEntry(name, value));
        }
        // Offsets: in the data section, no overlap, no gap, the last one ending at its end.
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long pos = 0;
        for (Entry e : byOffset) {
            if (e.end > dataLen) {
                throw new FormatException("tensor " + quote(e.name) + ": data_offsets [" + e.begin + ", " + e.end
                        + "] run past the " + dataLen + "-byte data section (truncated file?)");
            }
            if (e.begin < pos) {
                throw new FormatException("tensor " + quote(e.name) + ": data_offsets [" + e.begin + ", " + e.end
                        + "] overlap the previous tensor, which ends at " + pos);
            }
            if (e.begin > pos) {
                throw new FormatException("tensor " + quote(e.name) + ": data_offsets [" + e.begin + ", " + e.end
                        + "] leave a gap after byte " + pos);
            }
            pos = e.end;
        }
        if (pos != dataLen) {
            throw new FormatException("tensors cover " + pos + " bytes but the data section has " + dataLen);
        }
        return new Header(entries, metadata);
    }

    private static Map<String, String> parseMetadata(Object value) throws FormatException {
        if (!(value instanceof Map<?, ?> m)) throw new FormatException(METADATA_KEY + " is not an object");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> kv : m.entrySet()) {
            if (!(kv.getValue() instanceof String s)) {
                throw new FormatException(METADATA_KEY + " value of " + quote((String) kv.getKey()) + " is not a string");
            }
            out.put((String) kv.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry parseEntry(String name, Object value) throws FormatException {
        String where = "tensor " + quote(name);
        if (!(value instanceof Map<?, ?> m)) throw new FormatException(where + " is not an object");
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new FormatException(where + " has unknown field " + quote((String) k));
            }
        }
        if (!(m.get("dtype") instanceof String ds)) throw new FormatException(where + ": dtype missing or not a string");
        DType dtype = DType.parse(ds);
        if (dtype == null) throw new FormatException(where + ": unsupported dtype " + quote(ds));
        if (!(m.get("shape") instanceof List<?> shapeList)) throw new FormatException(where + ": shape missing or not an array");
        if (shapeList.size() > 64) throw new FormatException(where + ": shape has " + shapeList.size() + " dimensions");
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegativeInt(shapeList.get(i), where + ": shape[" + i + "]");
            if (d > Integer.MAX_VALUE) throw new FormatException(where + ": shape[" + i + "] = " + d + " is too large");
            shape[i] = (int) d;
            numel = multiplyCapped(numel, d);
        }
        if (numel > MAX_ELEMENTS) throw new FormatException(where + ": shape " + Arrays.toString(shape) + " has too many elements");
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
            throw new FormatException(where + ": data_offsets missing or not an array of two integers");
        }
        long begin = nonNegativeInt(offs.get(0), where + ": data_offsets[0]");
        long end = nonNegativeInt(offs.get(1), where + ": data_offsets[1]");
        if (end < begin) throw new FormatException(where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        long bytes = numel * dtype.size;   // numel <= 2^31, size <= 8: no overflow
        if (end - begin != bytes) {
            throw new FormatException(where + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes
                    + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, numel, begin, end);
    }

    private static long multiplyCapped(long a, long b) {
        long cap = MAX_ELEMENTS + 1;
        if (a == 0 || b == 0) return 0;
        if (a > cap / b) return cap;
        return Math.min(a * b, cap);
    }

    private static long nonNegativeInt(Object o, String what) throws FormatException {
        if (!(o instanceof Json.NumberText num)) throw new FormatException(what + " is not a number");
        String t = num.text();
        if (t.startsWith("-")) throw new FormatException(what + " = " + abbreviate(t) + " is negative");
        if (t.indexOf('.') >= 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) {
            throw new FormatException(what + " = " + abbreviate(t) + " is not an integer");
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new FormatException(what + " = " + abbreviate(t) + " is out of range");
        }
    }

    /** Decodes count elements from buf into the destination, starting at element at. */
    private interface ChunkDecoder {
        void decode(ByteBuffer buf, int at, int count);
    }

    /** Reads length elements of dtype at offset in chunks of at most CHUNK_BYTES, handing each to decoder. */
    private static void readChunks(FileChannel ch, long offset, DType dtype, int length, Path path, ChunkDecoder decoder)
            throws IOException {
        int per = Math.max(1, CHUNK_BYTES / dtype.size);
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min((long) per * dtype.size, (long) length * dtype.size))
                .order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        long pos = offset;
        while (done < length) {
            int count = Math.min(per, length - done);
            buf.clear().limit(count * dtype.size);
            readFully(ch, buf, pos, path);
            pos += (long) count * dtype.size;
            buf.flip();
            decoder.decode(buf, done, count);
            done += count;
        }
    }

    private static void readData(FileChannel ch, long offset, DType dtype, float[] out, Path path, String name)
            throws IOException {
        readChunks(ch, offset, dtype, out.length, path, (buf, at, count) -> decode(buf, dtype, out, at, count));
    }

    private static void readLongData(FileChannel ch, long offset, DType dtype, long[] out, Path path) throws IOException {
        readChunks(ch, offset, dtype, out.length, path, (buf, at, count) -> {
            for (int i = 0; i < count; i++) {
                out[at + i] = switch (dtype) {
                    case I64 -> buf.getLong();
                    case I32 -> buf.getInt();
                    case I16 -> buf.getShort();
                    case I8 -> buf.get();
                    case U8 -> buf.get() & 0xff;
                    case BOOL -> buf.get() != 0 ? 1 : 0;
                    default -> throw new IllegalStateException("not an integer dtype: " + dtype);
                };
            }
        });
    }

    private static void decode(ByteBuffer b, DType dtype, float[] out, int at, int count) {
        switch (dtype) {
            case F32 -> b.asFloatBuffer().get(out, at, count);
            case F64 -> { for (int i = 0; i < count; i++) out[at + i] = (float) b.getDouble(); }
            case F16 -> { for (int i = 0; i < count; i++) out[at + i] = Float.float16ToFloat(b.getShort()); }
            case BF16 -> { for (int i = 0; i < count; i++) out[at + i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); }
            case I64 -> { for (int i = 0; i < count; i++) out[at + i] = (float) b.getLong(); }
            case I32 -> { for (int i = 0; i < count; i++) out[at + i] = (float) b.getInt(); }
            case I16 -> { for (int i = 0; i < count; i++) out[at + i] = (float) b.getShort(); }
            case I8 -> { for (int i = 0; i < count; i++) out[at + i] = (float) b.get(); }
            case U8 -> { for (int i = 0; i < count; i++) out[at + i] = (float) (b.get() & 0xff); }
            case BOOL -> { for (int i = 0; i < count; i++) out[at + i] = b.get() != 0 ? 1f : 0f; }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path path) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw bad(path, "file ended early at byte " + pos + " (truncated?)");
            pos += r;
        }
    }

    private static IOException bad(Path path, String why) {
        return new IOException("bad safetensors file " + path + ": " + why);
    }

    // ------------------------------------------------------------------------------------------ writing

    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, tensors, Map.of());
    }

    /** Writes F32 tensors (in the map's order) and string metadata atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        writeTyped(path, tensors, metadata);
    }

    /**
     * Writes tensors in the map's order, {@link Tensor}s as F32 and {@link LongTensor}s as I64, and string
     * metadata, atomically. This is how a PyTorch state_dict with num_batches_tracked (an I64 scalar) is stored.
     */
    public static void writeTyped(Path path, Map<String, ? extends AnyTensor> tensors, Map<String, String> metadata)
            throws IOException {
        byte[] header = headerBytes(tensors, metadata == null ? Map.of() : metadata);
        AtomicFiles.write(path, out -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            out.write(buf.putLong(0, header.length).array(), 0, 8);
            out.write(header);
            for (AnyTensor any : tensors.values()) {
                int size = any instanceof LongTensor ? 8 : 4, per = CHUNK_BYTES / size, n = any.numel();
                for (int from = 0; from < n; from += per) {
                    int count = Math.min(per, n - from);
                    buf.clear();
                    switch (any) {
                        case Tensor t -> buf.asFloatBuffer().put(t.data(), from, count);
                        case LongTensor t -> buf.asLongBuffer().put(t.data(), from, count);
                    }
                    out.write(buf.array(), 0, count * size);
                }
            }
        });
    }

    static byte[] headerBytes(Map<String, ? extends AnyTensor> tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        if (!metadata.isEmpty()) {
            sb.append(Json.quote(METADATA_KEY, Integer.MAX_VALUE)).append(":{");
            boolean f = true;
            for (Map.Entry<String, String> kv : metadata.entrySet()) {
                if (kv.getKey() == null || kv.getValue() == null) throw new IllegalArgumentException("null metadata entry");
                if (!f) sb.append(',');
                f = false;
                sb.append(Json.quote(kv.getKey(), Integer.MAX_VALUE)).append(':').append(Json.quote(kv.getValue(), Integer.MAX_VALUE));
            }
            sb.append('}');
            first = false;
        }
        long offset = 0;
        for (Map.Entry<String, ? extends AnyTensor> kv : tensors.entrySet()) {
            String name = kv.getKey();
            AnyTensor t = kv.getValue();
            if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name must be non-empty");
            if (name.equals(METADATA_KEY)) throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved");
            if (t == null) throw new IllegalArgumentException("tensor " + name + " is null");
            if (!first) sb.append(',');
            first = false;
            boolean isLong = t instanceof LongTensor;
            long end = offset + (isLong ? 8L : 4L) * t.numel();
            sb.append(Json.quote(name, Integer.MAX_VALUE)).append(":{\"dtype\":\"").append(isLong ? "I64" : "F32").append("\",\"shape\":[");
            for (int i = 0; i < t.shape().length; i++) {
                if (i > 0) sb.append(',');
                sb.append(t.shape()[i]);
            }
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        sb.append('}');
        while (utf8Length(sb) % 8 != 0) sb.append(' ');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_HEADER_BYTES) throw new IllegalArgumentException("header too large: " + bytes.length + " bytes");
        return bytes;
    }

    private static int utf8Length(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    // ------------------------------------------------------------------------------------------ JSON

    private static String quote(String s) {
        return Json.quote(s, 80);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
