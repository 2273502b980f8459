import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;

/**
 * Two servers of one build (the second with {@code --inject SPEC} if given) pinned to CPU 1, loaded
 * at the same moment with the same paced acked load from this JVM on CPU 0: one thread sends each
 * unit to both in turn, a frame per write, over a few raw connections each. Prints per window
 * window,seconds,ns/rt A,ns/rt B,bytes/rt A,bytes/rt B,rt/s A,rt/s B,core share A,core share B,B/A.
 * -Dseparate=true gives each server a pacer thread of its own; -Dpause=MS stops the load for that
 * long and warms 0.5 s before each window (as the gate's rounds do); -Dwarm=S, the first warm-up.
 * Compiled with SaturatedAckNoise, whose raw upgrade and frame it uses:
 *   cp="$(cat runner/target/classpath.txt):runner/target/classes"; javac -cp "$cp" -d runs/experiments results/gate-experiments/*Noise.java
 *   taskset -c 0 java -cp "$cp:runs/experiments" PacedAckNoise server/target/wshunt-server.jar 40 3000 8 8000 [ack.cpu=1000] > paced.csv
 */
public class PacedAckNoise {
    static volatile boolean paused;
    static final byte[] FRAME = SaturatedAckNoise.FRAME;

    public static void main(String[] args) throws Exception {
        String cp = args[0];
        int windows = Integer.parseInt(args[1]);
        long windowMillis = Long.parseLong(args[2]);
        int connections = Integer.parseInt(args[3]);
        int ratePerSide = Integer.parseInt(args[4]);
        String injectB = args.length > 5 ? args[5] : "";
        int warmSeconds = Integer.getInteger("warm", 30);
        try (ChildProcesses children = new ChildProcesses()) {
            ServerFleet[] fleets = SaturatedAckNoise.startPair(children, cp, injectB.isBlank() ? "" : "--inject " + injectB, "runs/paced-noise");
            List<List<SocketChannel>> chans = new ArrayList<>();
            LongAdder[] acks = {new LongAdder(), new LongAdder()};
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> readers = new ArrayList<>();
            for (int side = 0; side < 2; side++) {
                List<SocketChannel> list = new ArrayList<>();
                for (int c = 0; c < connections; c++) {
                    SocketChannel ch = SaturatedAckNoise.upgrade(fleets[side].webSocketUri(), "p" + side + "-" + c);
                    list.add(ch);
                    LongAdder counter = acks[side];
                    Thread t = new Thread(() -> read(ch, counter, running));
                    t.setDaemon(true);
                    t.start();
                    readers.add(t);
                }
                chans.add(list);
            }
            Thread pacer;
            if (Boolean.getBoolean("separate")) {
                for (int side = 0; side < 2; side++) {
                    List<List<SocketChannel>> one = List.of(chans.get(side));
                    Thread t = new Thread(() -> pace(one, ratePerSide, running));
                    t.setDaemon(true);
                    t.start();
                }
                pacer = new Thread(() -> { });
            } else {
                pacer = new Thread(() -> pace(chans, ratePerSide, running));
                pacer.setDaemon(true);
                pacer.start();
            }
            Thread.sleep(warmSeconds * 1000L);
            JsonNode[] before = {fleets[0].summedStats().orElseThrow(), fleets[1].summedStats().orElseThrow()};
            long t0 = System.nanoTime();
            long pauseMillis = Long.getLong("pause", 0);
            for (int w = 0; w < windows; w++) {
                if (pauseMillis > 0) {
                    paused = true;
                    Thread.sleep(pauseMillis);
                    paused = false;
                    Thread.sleep(500);
                    before = new JsonNode[] {fleets[0].summedStats().orElseThrow(), fleets[1].summedStats().orElseThrow()};
                }
                Thread.sleep(windowMillis);
                JsonNode[] after = {fleets[0].summedStats().orElseThrow(), fleets[1].summedStats().orElseThrow()};
                double[] ns = new double[2], bytes = new double[2], rate = new double[2], share = new double[2];
                for (int s = 0; s < 2; s++) {
                    long units = after[s].path("acks").asLong() - before[s].path("acks").asLong();
                    long thread = after[s].path("thread_cpu_time_ns").asLong() - before[s].path("thread_cpu_time_ns").asLong();
                    long alloc = after[s].path("allocated_bytes").asLong() - before[s].path("allocated_bytes").asLong();
                    ns[s] = thread / (double) units;
                    bytes[s] = alloc / (double) units;
                    rate[s] = units / (windowMillis / 1000.0);
                    share[s] = thread / 1e6 / windowMillis;
                }
                System.out.printf("%d,%.1f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.2f,%.2f,%.4f%n", w, (System.nanoTime() - t0) / 1e9, ns[0], ns[1], bytes[0], bytes[1],
                        rate[0], rate[1], share[0], share[1], ns[1] / ns[0]);
                before = after;
            }
            running.set(false);
            pacer.join(5000);
            for (List<SocketChannel> l : chans) for (SocketChannel ch : l) ch.close();
        }
    }

    static void pace(List<List<SocketChannel>> chans, int ratePerSide, AtomicBoolean running) {
        long start = System.nanoTime();
        long sent = 0;
        int next = 0;
        ByteBuffer out = ByteBuffer.wrap(FRAME);
        try {
            while (running.get()) {
                if (paused) { start = System.nanoTime(); sent = 0; java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); continue; }
                long due = (System.nanoTime() - start) * ratePerSide / 1_000_000_000L;
                while (sent < due) {
                    for (List<SocketChannel> side : (sent % 2 == 0 || chans.size() == 1 ? chans : List.of(chans.get(1), chans.get(0)))) {
                        SocketChannel ch = side.get(next % side.size());
                        out.rewind();
                        while (out.hasRemaining()) ch.write(out);
                    }
                    next++;
                    sent++;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
            }
        } catch (IOException e) {
            if (running.get()) throw new RuntimeException(e);
        }
    }

    static void read(SocketChannel channel, LongAdder acks, AtomicBoolean running) {
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        try {
            while (true) {
                if (channel.read(in) < 0) return;
                int frames = SaturatedAckNoise.acksIn(in);
                acks.add(frames);
            }
        } catch (IOException e) {
            // closed at the end
        }
    }
}
