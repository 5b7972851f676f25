package dcgan.backend.tornado;

import uk.ac.manchester.tornado.api.TornadoDeviceMap;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

import java.util.ArrayList;
import java.util.List;

/** The devices TornadoVM sees, for `dcgan info`. Compiled only with a TornadoVM SDK; called by reflection. */
public final class TornadoDevices {
    private TornadoDevices() {}

    /**
     * One line per device, "backend:device  name  (backend type)", where backend:device is the index that
     * --device takes (TornadoVM's own numbering: backends in the device map's order, devices within each).
     */
    public static List<String> describe() {
        TornadoDeviceMap map = TornadoExecutionPlan.getTornadoDeviceMap();
        List<uk.ac.manchester.tornado.api.TornadoBackend> backends = map.getAllBackends();
        List<String> out = new ArrayList<>();
        for (int b = 0; b < backends.size(); b++) {
            uk.ac.manchester.tornado.api.TornadoBackend backend = backends.get(b);
            for (int d = 0; d < backend.getNumDevices(); d++) {
                TornadoDevice device = backend.getDevice(d);
                out.add(b + ":" + d + "  " + device.getPhysicalDevice().getDeviceName() + "  (" + backend.getBackendType() + ")");
            }
        }
        return out;
    }

    /** TornadoVM's default device: {name, type} with type CPU, GPU, FPGA, ACCELERATOR, ... (for --backend auto). */
    public static String[] defaultDevice() {
        TornadoDevice device = TornadoExecutionPlan.DEFAULT_DEVICE;
        return new String[] {device.getPhysicalDevice().getDeviceName(), String.valueOf(device.getDeviceType())};
    }
}
