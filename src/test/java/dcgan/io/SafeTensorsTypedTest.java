package dcgan.io;

import dcgan.io.SafeTensors.AnyTensor;
import dcgan.io.SafeTensors.LongTensor;
import dcgan.io.SafeTensors.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTypedTest {
    @TempDir Path tmp;

    @Test
    void i64TensorsRoundTripExactly() throws IOException {
        Map<String, AnyTensor> t = new LinkedHashMap<>();
        t.put("w", Tensor.of(new float[] {1.5f, -2f}, 2));
        t.put("count", LongTensor.scalar(123_456_789_012_345L));
        t.put("ids", new LongTensor(new int[] {3}, new long[] {-1, Long.MAX_VALUE, 0}));
        Path p = tmp.resolve("t.safetensors");
        SafeTensors.writeTyped(p, t, Map.of("k", "v"));
        String header = new String(Files.readAllBytes(p), 8, 200, StandardCharsets.UTF_8);
        assertTrue(header.contains("\"count\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}"), header);
        SafeTensors.TypedContents c = SafeTensors.readTyped(p);
        assertEquals(Map.of("w", "F32", "count", "I64", "ids", "I64"), c.dtypes());
        assertArrayEquals(new long[] {123_456_789_012_345L}, assertInstanceOf(LongTensor.class, c.tensors().get("count")).data());
        assertArrayEquals(new int[0], c.tensors().get("count").shape());
        assertArrayEquals(new long[] {-1, Long.MAX_VALUE, 0}, ((LongTensor) c.tensors().get("ids")).data());
        assertArrayEquals(new float[] {1.5f, -2f}, assertInstanceOf(Tensor.class, c.tensors().get("w")).data());
        assertEquals("v", c.metadata().get("k"));
        // the float reader still converts every dtype to float
        assertArrayEquals(new float[] {123_456_789_012_345L}, SafeTensors.read(p).get("count").data());
    }

    @Test
    void rewritingAPyTorchFixtureGivesTheSameBytes() throws IOException, URISyntaxException {
        for (String name : new String[] {"dcgan_init_G.safetensors", "dcgan_init_D.safetensors"}) {
            Path fixture = Path.of(getClass().getResource("/fixtures/" + name).toURI());
            SafeTensors.TypedContents c = SafeTensors.readTyped(fixture);
            assertTrue(c.dtypes().values().contains("I64"), name);
            Path p = tmp.resolve(name);
            SafeTensors.writeTyped(p, c.tensors(), c.metadata());
            assertArrayEquals(Files.readAllBytes(fixture), Files.readAllBytes(p), name);
        }
    }
}
