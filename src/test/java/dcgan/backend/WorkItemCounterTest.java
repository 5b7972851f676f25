package dcgan.backend;

import dcgan.model.Dcgan;
import dcgan.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The work-items of every task of the tutorial's iteration (batch 128, 64x64, ngf = ndf = 64), from the shapes. */
class WorkItemCounterTest {
    @Test
    void noHeavyTaskOfTheTutorialIterationLaunchesFewerThan16KiWorkItems() {
        List<WorkItemCounter.Task> tasks = Trainer.iterationTasks(Dcgan.Config.tutorial(), 128);
        System.out.print(WorkItemCounter.table(tasks));
        long fewest = WorkItemCounter.fewestHeavyWorkItems(tasks);
        System.out.println("fewest work-items of a heavy task: " + fewest);
        assertTrue(fewest >= 16384, "a heavy task launches only " + fewest + " work-items");
        // the reductions of item 2 are two-level: their first level is heavy and wide, their second light
        for (String kernel : List.of("bnStatsPartials", "bnBackwardPartials", "conv2dBackwardWeightPartials")) {
            assertTrue(tasks.stream().anyMatch(t -> t.kernel().equals(kernel) && t.heavy()), kernel + " heavy");
        }
        for (WorkItemCounter.Task t : tasks) {
            if (t.kernel().endsWith("Combine") || t.kernel().endsWith("Sum")) assertFalse(t.heavy(), t.toString());
        }
    }

    @Test
    void twoLevelFormsLaunchWhatTheKernelsLoopOver() {
        WorkItemCounter c = new WorkItemCounter();
        c.batchNormStats(null, null, null, null, null, 128, 64, 1024);        // G's last BatchNorm: 4 segments per plane
        c.batchNormBackwardReduce(null, null, null, null, null, null, null, null, 128, 128, 256);
        c.conv2dBackwardWeight(null, null, null, 128, 3, 64, 64, 64, 4, 2, 1);   // D's first layer: 3,072 weights
        c.conv2dBackwardWeight(null, null, null, 128, 64, 32, 32, 128, 4, 2, 1); // 131,072 weights: one level
        c.bceForward(null, null, 1f, 128);
        assertEquals(List.of(
                new WorkItemCounter.Task("bnStatsPartials", "n128 c64 hw1024", 32768, 512),
                new WorkItemCounter.Task("bnStatsCombine", "n128 c64 hw1024", 64, 1024),
                new WorkItemCounter.Task("bnBackwardPartials", "n128 c128 hw256", 16384, 256),
                new WorkItemCounter.Task("bnBackwardCombine", "n128 c128 hw256", 128, 128),
                new WorkItemCounter.Task("conv2dBackwardWeightPartials", "n128 3->64 64x64 k4 s2 p1", 393216, 1024),
                new WorkItemCounter.Task("conv2dBackwardWeightSum", "n128 3->64 64x64 k4 s2 p1", 3072, 128),
                new WorkItemCounter.Task("conv2dBackwardWeight", "n128 64->128 32x32 k4 s2 p1", 131072, 32768),
                new WorkItemCounter.Task("bceForwardTerms", "n128", 128, 1),
                new WorkItemCounter.Task("bceForwardSum", "n128", 1, 128)), c.tasks());
    }

    @Test
    void countsTheLaunchOfOneCall() {
        WorkItemCounter c = new WorkItemCounter();
        c.conv2dForward(null, null, null, 2, 3, 8, 8, 4, 3, 1, 1);     // 2·4·8·8 outputs, 3·3·3 taps each
        assertEquals(List.of(new WorkItemCounter.Task("conv2dForward", "n2 3->4 8x8 k3 s1 p1", 512, 27)), c.tasks());
    }
}
