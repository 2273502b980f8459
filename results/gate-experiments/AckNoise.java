import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.wshunt.contract.ServerCommand;
import io.wshunt.runner.probe.CapacityProbe;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;

/**
 * How noisy the gate's round-trip CPU figure is between two servers of one build: both pinned to
 * CPU 1, the probe (this JVM) on CPU 0, each warmed as the gate warms them, then one acked stretch
 * at a time in ABBA order. Prints slice,side,seconds,thread-ns/rt,process-ns/rt,bytes/rt,rt/s. With
 * -Dwshunt.probe.burst=true and ack-bursts.patch applied, the ack phase sends its frames in bursts.
 *   taskset -c 0 java -cp "$(cat runner/target/classpath.txt):runner/target/classes" \
 *     results/gate-experiments/AckNoise.java server/target/wshunt-server.jar 24 3000 > noise.csv
 */
public class AckNoise {
    public static void main(String[] args) throws Exception {
        String serverClasspath = args[0];
        int slices = Integer.parseInt(args[1]);
        long windowMillis = Long.parseLong(args[2]);
        try (ChildProcesses children = new ChildProcesses()) {
            CapacityProbe[] probes = new CapacityProbe[2];
            for (int side = 0; side < 2; side++) {
                ServerLaunch launch = new ServerLaunch(serverClasspath, ServerCommand.DEFAULT_JVM_ARGS, "", "1");
                ServerFleet fleet = ServerFleet.start(children, launch, 1, null, Path.of("runs/ack-noise/side-" + side));
                probes[side] = CapacityProbe.of(fleet, new CapacityProbe.Settings(200, 16, Duration.ofMillis(500), Duration.ofMillis(windowMillis), 1,
                        Duration.ofSeconds(10)));
                probes[side].connect();
            }
            for (CapacityProbe probe : probes) probe.warmUp(List.of("ack", "broadcast", "connect"), 5);
            long start = System.nanoTime();
            for (int slice = 0; slice < slices; slice++) {
                for (int side : slice % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    CapacityProbe.Cost cost = probes[side].run(List.of("ack"), false).get(0).stretch();
                    System.out.printf("%d,%d,%.2f,%.1f,%.0f,%.0f,%.1f%n", slice, side, (System.nanoTime() - start) / 1e9,
                            cost.threadCpuNanos() / (double) cost.units(), cost.cpuNanos() / (double) cost.units(), cost.bytesPerUnit(), cost.rate());
                }
            }
            for (CapacityProbe probe : probes) probe.close();
        }
    }
}
