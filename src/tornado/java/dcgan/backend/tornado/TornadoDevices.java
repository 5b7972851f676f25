package dcgan.backend.tornado;

import uk.ac.manchester.tornado.api.TornadoDeviceMap;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * The devices TornadoVM sees: listed for `dcgan info` and --backend auto (called by reflection), and the device a
 * --device index names. Compiled only with a TornadoVM SDK.
 */
public final class TornadoDevices {
    private TornadoDevices() {}

    /**
     * One line per device, "backend:device  name  (backend type)", where backend:device is the index that
     * --device takes (TornadoVM's own numbering: backends in the device map's order, devices within each).
     */
    public static List<String> describe() {
        TornadoDeviceMap map = TornadoExecutionPlan.getTornadoDeviceMap();
        var backends = map.getAllBackends();
        List<String> out = new ArrayList<>();
        for (int b = 0; b < backends.size(); b++) {
            var backend = backends.get(b);
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

    /** The device a "backend:device" index names (as TornadoVM numbers them, see {@link #describe}). */
    static TornadoDevice parse(String spec) {
        String[] parts = spec.split(":");
        if (parts.length != 2) throw new IllegalArgumentException("--device must be backend:device, e.g. 0:0, got '" + spec + "'");
        int b, d;
        try {
            b = Integer.parseInt(parts[0].trim());
            d = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--device must be backend:device, e.g. 0:0, got '" + spec + "'");
        }
        var map = TornadoExecutionPlan.getTornadoDeviceMap();
        if (b < 0 || b >= map.getNumBackends()) {
            throw new IllegalArgumentException("no TornadoVM backend " + b + " (there are " + map.getNumBackends() + "; see `dcgan info`)");
        }
        var backend = map.getAllBackends().get(b);
        if (d < 0 || d >= backend.getNumDevices()) {
            throw new IllegalArgumentException("TornadoVM backend " + b + " has no device " + d + " (see `dcgan info`)");
        }
        return backend.getDevice(d);
    }

    /** Whether a device (null: TornadoVM's default) is a GPU or another accelerator, not a CPU. */
    static boolean isGpu(TornadoDevice device) {
        TornadoDevice d = device != null ? device : TornadoExecutionPlan.DEFAULT_DEVICE;
        String type = String.valueOf(d.getDeviceType());
        return type.equals("GPU") || type.equals("ACCELERATOR");
    }

    /** A device (null: TornadoVM's default) as TornadoVM describes it: "name (backend)". */
    static String describe(TornadoDevice device) {
        TornadoDevice d = device != null ? device : TornadoExecutionPlan.DEFAULT_DEVICE;
        return d.getPhysicalDevice().getDeviceName() + " (" + d.getTornadoVMBackend() + ")";
    }
}
