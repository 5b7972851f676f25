package dcgan.backend;

import dcgan.model.Dcgan;
import dcgan.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The work-items of every task of the tutorial's iteration (batch 128, 64x64, ngf = ndf = 64), from the shapes. */
class WorkItemCounterTest {
    @Test
    void printsTheTutorialIterationsTasks() {
        List<WorkItemCounter.Task> tasks = Trainer.iterationTasks(Dcgan.Config.tutorial(), 128);
        System.out.print(WorkItemCounter.table(tasks));
        System.out.println("fewest work-items of a heavy task: " + WorkItemCounter.fewestHeavyWorkItems(tasks));
    }

    @Test
    void countsTheLaunchOfOneCall() {
        WorkItemCounter c = new WorkItemCounter();
        c.conv2dForward(null, null, null, 2, 3, 8, 8, 4, 3, 1, 1);     // 2·4·8·8 outputs, 3·3·3 taps each
        assertEquals(List.of(new WorkItemCounter.Task("conv2dForward", "n2 3->4 8x8 k3 s1 p1", 512, 27)), c.tasks());
    }
}
