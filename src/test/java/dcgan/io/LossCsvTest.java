package dcgan.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCsvTest {
    @TempDir Path tmp;

    @Test
    void writesHeaderAndFlushesEveryRow() throws Exception {
        Path f = tmp.resolve("losses.csv");
        try (LossCsv w = LossCsv.create(f)) {
            w.append(0, 0, 1.3862944, 0.6931472, 0.5, 0.5, 0.49, 1.25);
            // flushed: visible before close
            assertEquals(List.of(LossCsv.HEADER, "0,0,1.386294,0.693147,0.500000,0.500000,0.490000,1.250"), Files.readAllLines(f));
            w.append(50, 1, Double.NaN, Double.POSITIVE_INFINITY, 0, 0, 0, 2);
        }
        List<LossCsv.Row> rows = LossCsv.read(f);
        assertEquals(2, rows.size());
        assertTrue(Double.isNaN(rows.get(1).lossD()));
        assertEquals(Double.POSITIVE_INFINITY, rows.get(1).lossG());
        assertEquals(50, rows.get(1).iteration());
        assertEquals(1, rows.get(1).epoch());
    }

    @Test
    void resumeKeepsRowsUpToTheResumedIterationAndDropsATornLine() throws Exception {
        Path f = tmp.resolve("losses.csv");
        try (LossCsv w = LossCsv.create(f)) {
            for (int i = 0; i <= 6; i++) w.append(i * 50, i / 3, 1, 2, 0.5, 0.4, 0.3, i);
        }
        Files.writeString(f, "350,2,1.0,2.0,0.5", java.nio.file.StandardOpenOption.APPEND);   // torn by a crash
        try (LossCsv w = LossCsv.resume(f, 200)) {
            w.append(250, 1, 9, 9, 9, 9, 9, 9);
        }
        List<LossCsv.Row> rows = LossCsv.read(f);
        assertEquals(List.of(0L, 50L, 100L, 150L, 200L, 250L), rows.stream().map(LossCsv.Row::iteration).toList());
        assertEquals(9, rows.get(5).lossD());
        // resuming without a file starts one
        try (LossCsv w = LossCsv.resume(tmp.resolve("new.csv"), 100)) { w.append(150, 0, 1, 1, 1, 1, 1, 1); }
        assertEquals(1, LossCsv.read(tmp.resolve("new.csv")).size());
    }

    @Test
    void refusesAFileThatIsNotALossesCsv() throws Exception {
        Path f = tmp.resolve("other.csv");
        Files.writeString(f, "a,b,c\n1,2,3\n");
        IOException e = assertThrows(IOException.class, () -> LossCsv.resume(f, 10));
        assertTrue(e.getMessage().contains("is not a losses.csv"), e.getMessage());
        assertEquals("a,b,c\n1,2,3\n", Files.readString(f));   // untouched
    }
}
