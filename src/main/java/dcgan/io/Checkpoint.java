package dcgan.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A training checkpoint: named float tensors (weights, batch-norm running stats, Adam moments), long arrays and
 * scalars (iteration, epoch, batch in epoch, Adam steps, RNG states) and strings (options), in one file.
 *
 * <p>File format, little-endian throughout:
 * <pre>
 *   0  magic    8 bytes "DCGANCKP"
 *   8  version  u32 (= {@value #VERSION})
 *  12  count    u32: number of entries
 *  16  tableLen u64: bytes of the entry table that follows
 *  24  table    count entries, each:
 *                 u16 nameLen, name (UTF-8, 1..{@value #MAX_NAME} bytes, unique),
 *                 u8 dtype (1 = f32, 2 = i64, 3 = UTF-8 string),
 *                 u8 rank (0..{@value #MAX_RANK}), rank x i64 dims (each 0..2^31-1),
 *                 i64 offset (from the start of the data section), i64 length (bytes)
 *      data     the entries' bytes, in table order, without gaps or overlaps
 * end-4 crc     u32: CRC-32 of every byte before it
 * </pre>
 * A string is stored with rank 1 and its UTF-8 length as the dim; a scalar long with rank 0.
 *
 * <p>{@link #read} validates the whole header against the file's length (sizes, offsets, shapes, counts) and the
 * CRC before it allocates anything for the data, so a truncated, corrupt or hostile file gives an
 * {@link IOException} with a one-line message, never an {@link OutOfMemoryError}. {@link #write} is atomic
 * ({@link AtomicFiles}): the previous checkpoint stays intact and readable until the new one is complete.
 *
 * <p>Arrays are stored by reference (not copied) when put, and returned by reference when got.
 */
public final class Checkpoint {
    public static final int VERSION = 1;
    static final byte[] MAGIC = "DCGANCKP".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_NAME = 1024, MAX_RANK = 8;
    static final int FIXED = 24;
    static final long MAX_TABLE = 64L << 20;
    static final int F32 = 1, I64 = 2, STR = 3;

    private record Entry(int dtype, int[] shape, Object value) {
        long bytes() {
            return switch (dtype) {
                case F32 -> 4L * ((float[]) value).length;
                case I64 -> 8L * ((long[]) value).length;
                default -> ((byte[]) value).length;
            };
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** An empty checkpoint, to fill with the put methods and {@link #write}. */
    public Checkpoint() {}

    // ---- building ----

    /** Adds (or replaces) a float tensor; {@code shape} must multiply out to {@code data.length} (none = 1-D). */
    public Checkpoint putTensor(String name, float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        checkShape(name, s, data.length);
        return put(name, new Entry(F32, s, data));
    }

    /** Adds (or replaces) a long array (1-D), e.g. RNG states. */
    public Checkpoint putLongs(String name, long[] data) {
        return put(name, new Entry(I64, new int[] {data.length}, data));
    }

    /** Adds (or replaces) a scalar long, e.g. iteration, epoch, Adam step. */
    public Checkpoint putLong(String name, long value) {
        return put(name, new Entry(I64, new int[0], new long[] {value}));
    }

    /** Adds (or replaces) a string, e.g. an option used. */
    public Checkpoint putString(String name, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        return put(name, new Entry(STR, new int[] {b.length}, b));
    }

    private Checkpoint put(String name, Entry e) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length == 0 || n.length > MAX_NAME) throw new IllegalArgumentException("checkpoint entry name must be 1.." + MAX_NAME + " bytes: '" + name + "'");
        entries.put(name, e);
        return this;
    }

    private static void checkShape(String name, int[] shape, int length) {
        if (shape.length > MAX_RANK) throw new IllegalArgumentException("tensor " + name + " has rank " + shape.length + " > " + MAX_RANK);
        long p = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("tensor " + name + " has a negative dim: " + Arrays.toString(shape));
            p *= d;
        }
        if (p != length) throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " does not match " + length + " values");
    }

    // ---- querying ----

    /** Entry names, in the order they were put (or stored). */
    public Set<String> names() { return Collections.unmodifiableSet(entries.keySet()); }

    public boolean has(String name) { return entries.containsKey(name); }

    /** The float tensor {@code name}. @throws IOException if absent or not a float tensor */
    public float[] tensor(String name) throws IOException {
        return (float[]) get(name, F32, "a float tensor").value;
    }

    /** The shape of entry {@code name}. @throws IOException if absent */
    public int[] shape(String name) throws IOException {
        Entry e = entries.get(name);
        if (e == null) throw new IOException("checkpoint has no entry '" + name + "'");
        return e.shape.clone();
    }

    /**
     * Copies float tensor {@code name} into {@code dst} after checking its shape is {@code expectedShape}.
     *
     * @throws IOException naming the tensor and both shapes if they differ, or if it is absent
     */
    public void copyTensor(String name, float[] dst, int... expectedShape) throws IOException {
        Entry e = get(name, F32, "a float tensor");
        if (!Arrays.equals(e.shape, expectedShape))
            throw new IOException("checkpoint tensor '" + name + "' has shape " + Arrays.toString(e.shape) + ", expected " + Arrays.toString(expectedShape));
        float[] src = (float[]) e.value;
        if (dst.length < src.length) throw new IllegalArgumentException("destination for " + name + " holds " + dst.length + " < " + src.length + " floats");
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    /** The long array {@code name}. @throws IOException if absent or not longs */
    public long[] longs(String name) throws IOException {
        return (long[]) get(name, I64, "a long array").value;
    }

    /** The scalar long {@code name}. @throws IOException if absent or not a single long */
    public long getLong(String name) throws IOException {
        long[] v = (long[]) get(name, I64, "a long").value;
        if (v.length != 1) throw new IOException("checkpoint entry '" + name + "' holds " + v.length + " longs, not one");
        return v[0];
    }

    /** The string {@code name}. @throws IOException if absent or not a string */
    public String getString(String name) throws IOException {
        return new String((byte[]) get(name, STR, "a string").value, StandardCharsets.UTF_8);
    }

    private Entry get(String name, int dtype, String what) throws IOException {
        Entry e = entries.get(name);
        if (e == null) throw new IOException("checkpoint has no entry '" + name + "'");
        if (e.dtype != dtype) throw new IOException("checkpoint entry '" + name + "' is not " + what);
        return e;
    }

    // ---- writing ----

    /** Writes the checkpoint atomically: the old file at {@code path} is replaced only once the new one is complete. */
    public void write(Path path) throws IOException {
        ByteBuffer table = ByteBuffer.allocate(tableLength()).order(ByteOrder.LITTLE_ENDIAN);
        long offset = 0;
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            byte[] n = me.getKey().getBytes(StandardCharsets.UTF_8);
            Entry e = me.getValue();
            table.putShort((short) n.length).put(n).put((byte) e.dtype).put((byte) e.shape.length);
            for (int d : e.shape) table.putLong(d);
            long len = e.bytes();
            table.putLong(offset).putLong(len);
            offset += len;
        }
        ByteBuffer fixed = ByteBuffer.allocate(FIXED).order(ByteOrder.LITTLE_ENDIAN);
        fixed.put(MAGIC).putInt(VERSION).putInt(entries.size()).putLong(table.capacity());
        AtomicFiles.write(path, raw -> {
            CRC32 crc = new CRC32();
            OutputStream out = new OutputStream() {
                @Override public void write(int b) throws IOException { crc.update(b); raw.write(b); }
                @Override public void write(byte[] b, int off, int len) throws IOException { crc.update(b, off, len); raw.write(b, off, len); }
            };
            out.write(fixed.array());
            out.write(table.array());
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries.values()) {
                switch (e.dtype) {
                    case F32 -> {
                        float[] a = (float[]) e.value;
                        for (int i = 0; i < a.length; ) {
                            int k = Math.min(a.length - i, buf.capacity() / 4);
                            buf.clear();
                            buf.asFloatBuffer().put(a, i, k);
                            out.write(buf.array(), 0, 4 * k);
                            i += k;
                        }
                    }
                    case I64 -> {
                        long[] a = (long[]) e.value;
                        for (int i = 0; i < a.length; ) {
                            int k = Math.min(a.length - i, buf.capacity() / 8);
                            buf.clear();
                            buf.asLongBuffer().put(a, i, k);
                            out.write(buf.array(), 0, 8 * k);
                            i += k;
                        }
                    }
                    default -> out.write((byte[]) e.value);
                }
            }
            long c = crc.getValue();
            raw.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
        });
    }

    private int tableLength() {
        long n = 0;
        for (Map.Entry<String, Entry> me : entries.entrySet())
            n += 2 + me.getKey().getBytes(StandardCharsets.UTF_8).length + 2 + 8L * me.getValue().shape.length + 16;
        if (n > MAX_TABLE) throw new IllegalStateException("checkpoint table too large: " + n + " bytes");
        return (int) n;
    }

    // ---- reading ----

    /**
     * Reads and fully validates a checkpoint.
     *
     * @throws IOException with a one-line message if the file is missing, not a checkpoint, of another version,
     *                     truncated, inconsistent or corrupt (CRC mismatch)
     */
    public static Checkpoint read(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return read(ch, path.toString());
        } catch (NoSuchFileException e) {
            throw new IOException("checkpoint " + path + " does not exist");
        }
    }

    private static Checkpoint read(FileChannel ch, String file) throws IOException {
        long size = ch.size();
        if (size < FIXED + 4) throw bad(file, "too short to be a checkpoint (" + size + " bytes)");
        ByteBuffer fixed = readFully(ch, 0, FIXED, file);
        byte[] magic = new byte[MAGIC.length];
        fixed.get(magic);
        if (!Arrays.equals(magic, MAGIC)) throw bad(file, "not a dcgan checkpoint (wrong magic number)");
        int version = fixed.getInt();
        if (version != VERSION) throw bad(file, "checkpoint format version " + Integer.toUnsignedString(version) + " is not supported (this build reads version " + VERSION + ")");
        long count = Integer.toUnsignedLong(fixed.getInt());
        long tableLen = fixed.getLong();
        long dataStart = FIXED + tableLen;
        if (tableLen < 0 || tableLen > MAX_TABLE || dataStart > size - 4)
            throw bad(file, "truncated or corrupt: entry table of " + tableLen + " bytes does not fit in " + size + " bytes");
        if (count * 21 > tableLen) throw bad(file, "corrupt: " + count + " entries cannot fit in an entry table of " + tableLen + " bytes");
        long dataLen = size - 4 - dataStart;

        // Integrity first: the CRC of everything before the last 4 bytes.
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (long pos = 0; pos < size - 4; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), size - 4 - pos));
            int r = ch.read(buf, pos);
            if (r < 0) throw bad(file, "truncated while reading");
            buf.flip();
            crc.update(buf);
            pos += r;
        }
        int stored = readFully(ch, size - 4, 4, file).getInt();
        if ((int) crc.getValue() != stored) throw bad(file, "corrupt: CRC-32 mismatch (the file was damaged or truncated)");

        ByteBuffer table = readFully(ch, FIXED, (int) tableLen, file);
        record Meta(String name, int dtype, int[] shape, long offset, long length) {}
        Meta[] metas = new Meta[(int) count];
        long expectOffset = 0;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            if (table.remaining() < 2) throw bad(file, "corrupt entry table (entry " + i + ")");
            int nameLen = Short.toUnsignedInt(table.getShort());
            if (nameLen == 0 || nameLen > MAX_NAME || table.remaining() < nameLen + 2) throw bad(file, "corrupt entry table (name of entry " + i + ")");
            byte[] nb = new byte[nameLen];
            table.get(nb);
            String name;
            try {
                name = decoder.decode(ByteBuffer.wrap(nb)).toString();
            } catch (CharacterCodingException e) {
                throw bad(file, "corrupt entry table (name of entry " + i + " is not UTF-8)");
            }
            if (!seen.add(name)) throw bad(file, "corrupt entry table (entry '" + name + "' appears twice)");
            int dtype = table.get(), rank = table.get();
            if (dtype != F32 && dtype != I64 && dtype != STR) throw bad(file, "entry '" + name + "' has unknown dtype " + dtype);
            if (rank < 0 || rank > MAX_RANK || table.remaining() < 8L * rank + 16) throw bad(file, "entry '" + name + "' has a corrupt shape");
            int[] shape = new int[rank];
            long elems = 1;
            for (int d = 0; d < rank; d++) {
                long dim = table.getLong();
                if (dim < 0 || dim > Integer.MAX_VALUE) throw bad(file, "entry '" + name + "' has an absurd dim " + dim);
                shape[d] = (int) dim;
                elems = Math.multiplyHigh(elems, dim) != 0 || elems * dim < 0 ? -1 : elems * dim;
                if (elems < 0) throw bad(file, "entry '" + name + "' has an absurd shape");
            }
            long offset = table.getLong(), length = table.getLong();
            long elemSize = dtype == F32 ? 4 : dtype == I64 ? 8 : 1;
            if (dtype == STR && rank != 1) throw bad(file, "string entry '" + name + "' must have rank 1");
            if (elems > (Integer.MAX_VALUE - 8) / elemSize)
                throw bad(file, "entry '" + name + "' has an absurd shape " + Arrays.toString(shape) + " (" + elems + " values)");
            if (elems * elemSize != length)
                throw bad(file, "entry '" + name + "' has shape " + Arrays.toString(shape) + " but " + length + " bytes");
            if (offset != expectOffset || length > dataLen - offset)
                throw bad(file, "truncated or corrupt: entry '" + name + "' at offset " + offset + " (" + length + " bytes) lies outside the data section");
            expectOffset = offset + length;
            metas[i] = new Meta(name, dtype, shape, offset, length);
        }
        if (table.hasRemaining()) throw bad(file, "corrupt entry table (" + table.remaining() + " stray bytes)");
        if (expectOffset != dataLen) throw bad(file, "corrupt: " + (dataLen - expectOffset) + " stray bytes after the last entry");

        Checkpoint cp = new Checkpoint();
        for (Meta m : metas) {
            long pos = dataStart + m.offset;
            Object value = switch (m.dtype) {
                case F32 -> {
                    float[] a = new float[(int) (m.length / 4)];
                    for (int i = 0; i < a.length; ) {
                        int k = Math.min(a.length - i, 1 << 18);
                        readFully(ch, pos + 4L * i, 4 * k, file).asFloatBuffer().get(a, i, k);
                        i += k;
                    }
                    yield a;
                }
                case I64 -> {
                    long[] a = new long[(int) (m.length / 8)];
                    for (int i = 0; i < a.length; ) {
                        int k = Math.min(a.length - i, 1 << 17);
                        readFully(ch, pos + 8L * i, 8 * k, file).asLongBuffer().get(a, i, k);
                        i += k;
                    }
                    yield a;
                }
                default -> {
                    byte[] b = new byte[(int) m.length];
                    readFully(ch, pos, b.length, file).get(b);
                    yield b;
                }
            };
            cp.entries.put(m.name, new Entry(m.dtype, m.shape, value));
        }
        return cp;
    }

    private static ByteBuffer readFully(FileChannel ch, long pos, int len, String file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) throw bad(file, "truncated (ends at " + (pos + b.position()) + " bytes)");
        }
        return b.flip();
    }

    private static IOException bad(String file, String msg) {
        return new IOException("checkpoint " + file + ": " + msg);
    }

}
