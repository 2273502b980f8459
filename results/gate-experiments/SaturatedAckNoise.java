import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import com.fasterxml.jackson.databind.JsonNode;
import io.wshunt.contract.Json;
import io.wshunt.contract.ServerCommand;
import io.wshunt.runner.process.ChildProcesses;
import io.wshunt.runner.process.ServerFleet;
import io.wshunt.runner.process.ServerLaunch;

/**
 * Like AckNoise, but the acked load saturates the server: a few raw connections, each keeping
 * {@code window} pre-encoded frames outstanding and writing the replacements for every batch of
 * acks in one write, so the client spends next to nothing per frame and every server wakeup finds
 * a full buffer. Prints slice,side,seconds,thread-ns/rt,process-ns/rt,bytes/rt,rt/s,server-core-share.
 *   taskset -c 0 java -cp "$(cat runner/target/classpath.txt):runner/target/classes" \
 *     results/gate-experiments/SaturatedAckNoise.java server/target/wshunt-server.jar 24 3000 4 256 > noise.csv
 */
public class SaturatedAckNoise {
    static final byte[] FRAME = frame("{\"type\":\"benchmark_test\",\"id\":1,\"content\":\"" + "x".repeat(64) + "\"}");

    public static void main(String[] args) throws Exception {
        String serverClasspath = args[0];
        int slices = Integer.parseInt(args[1]);
        long windowMillis = Long.parseLong(args[2]);
        int connections = Integer.parseInt(args[3]);
        int window = Integer.parseInt(args[4]);
        try (ChildProcesses children = new ChildProcesses()) {
            ServerFleet[] fleets = startPair(children, serverClasspath, "", "runs/sat-noise");
            for (int side = 0; side < 2; side++) {
                for (int i = 0; i < 10; i++) stretch(fleets[side], connections, window, 500); // the JIT's work
            }
            long start = System.nanoTime();
            boolean together = Boolean.getBoolean("together");
            for (int slice = 0; slice < slices; slice++) {
                if (together) {
                    double[][] both = new double[2][];
                    Thread other = new Thread(() -> {
                        try {
                            both[1] = stretch(fleets[1], connections, window, windowMillis);
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    other.start();
                    both[0] = stretch(fleets[0], connections, window, windowMillis);
                    other.join();
                    for (int side = 0; side < 2; side++) print(slice, side, start, both[side]);
                    continue;
                }
                for (int side : slice % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    print(slice, side, start, stretch(fleets[side], connections, window, windowMillis));
                }
            }
        }
    }

    /** Two servers of one build on CPU 1, the second with {@code candidateArgs}; their logs under {@code dir}. */
    static ServerFleet[] startPair(ChildProcesses children, String serverClasspath, String candidateArgs, String dir) throws Exception {
        ServerFleet[] fleets = new ServerFleet[2];
        for (int side = 0; side < 2; side++) {
            ServerLaunch launch = new ServerLaunch(serverClasspath, ServerCommand.DEFAULT_JVM_ARGS, side == 1 ? candidateArgs : "", "1");
            fleets[side] = ServerFleet.start(children, launch, 1, null, Path.of(dir, "side-" + side + "-" + System.nanoTime()));
        }
        return fleets;
    }

    static void print(int slice, int side, long start, double[] f) {
        System.out.printf("%d,%d,%.2f,%.1f,%.0f,%.0f,%.1f,%.2f,%.0f,%.0f%n", slice, side, (System.nanoTime() - start) / 1e9, f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
    }

    /** One measured stretch: thread-ns/rt, process-ns/rt, bytes/rt, rt/s, thread CPU share of a core. */
    static double[] stretch(ServerFleet fleet, int connections, int window, long millis) throws Exception {
        URI ws = fleet.webSocketUri();
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder acks = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        List<SocketChannel> channels = new ArrayList<>();
        for (int c = 0; c < connections; c++) channels.add(upgrade(ws, "sat-" + c + "-" + System.nanoTime()));
        for (SocketChannel channel : channels) {
            Thread t = new Thread(() -> blast(channel, window, running, acks));
            t.start();
            threads.add(t);
        }
        Thread.sleep(300);
        long pid = fleet.servers().get(0).process().pid();
        long[] ticksBefore = ticks(pid);
        JsonNode before = fleet.summedStats().orElseThrow();
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        JsonNode after = fleet.summedStats().orElseThrow();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] ticksAfter = ticks(pid);
        running.set(false);
        for (Thread t : threads) t.join(10_000);
        for (SocketChannel channel : channels) channel.close();
        long units = after.path("acks").asLong() - before.path("acks").asLong();
        long thread = after.path("thread_cpu_time_ns").asLong() - before.path("thread_cpu_time_ns").asLong();
        long process = after.path("cpu_time_ns").asLong() - before.path("cpu_time_ns").asLong();
        long bytes = after.path("allocated_bytes").asLong() - before.path("allocated_bytes").asLong();
        return new double[] {thread / (double) units, process / (double) units, bytes / (double) units, units / seconds, thread / 1e9 / seconds,
                (ticksAfter[0] - ticksBefore[0]) * 1e7 / units, (ticksAfter[1] - ticksBefore[1]) * 1e7 / units};
    }

    /** utime and stime of a process, in 10 ms ticks. */
    static long[] ticks(long pid) throws IOException {
        String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    static void blast(SocketChannel channel, int window, AtomicBoolean running, LongAdder acks) {
        try {
            ByteBuffer out = ByteBuffer.allocate(FRAME.length * window);
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            send(channel, out, window);
            long outstanding = window;
            while (outstanding > 0) {
                if (channel.read(in) < 0) return;
                int frames = acksIn(in);
                acks.add(frames);
                outstanding -= frames;
                if (running.get() && frames > 0) {
                    send(channel, out, frames);
                    outstanding += frames;
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    /** Takes the whole frames off a buffer just read into (unread bytes stay for the next read); returns the acks among them. */
    static int acksIn(ByteBuffer in) {
        in.flip();
        int acks = 0;
        while (in.remaining() >= 2) {
            int len = in.get(in.position() + 1) & 0x7f;
            int header = 2;
            if (len == 126) {
                if (in.remaining() < 4) break;
                len = ((in.get(in.position() + 2) & 0xff) << 8) | (in.get(in.position() + 3) & 0xff);
                header = 4;
            }
            if (in.remaining() < header + len) break;
            if (in.get(in.position() + header + 9) == 'a') acks++; // {"type":"ack"
            in.position(in.position() + header + len);
        }
        in.compact();
        return acks;
    }

    static void send(SocketChannel channel, ByteBuffer out, int frames) throws IOException {
        out.clear();
        for (int i = 0; i < frames; i++) out.put(FRAME);
        out.flip();
        while (out.hasRemaining()) channel.write(out);
    }

    static SocketChannel upgrade(URI ws, String user) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(ws.getHost(), ws.getPort()));
        channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        String request = "GET " + ws.getPath() + "/" + user + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: d3NodW50LWZhdWx0LWtleQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        // Read the head and the welcome frame byte by byte: nothing else comes before the first send.
        ByteBuffer one = ByteBuffer.allocate(1);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (channel.read(one) < 0) throw new IOException("closed during upgrade");
            head.append((char) one.get(0));
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException(head.toString());
        ByteBuffer h = ByteBuffer.allocate(2);
        while (h.hasRemaining()) channel.read(h);
        int len = h.get(1) & 0x7f;
        if (len == 126) {
            ByteBuffer l = ByteBuffer.allocate(2);
            while (l.hasRemaining()) channel.read(l);
            len = ((l.get(0) & 0xff) << 8) | (l.get(1) & 0xff);
        }
        ByteBuffer body = ByteBuffer.allocate(len);
        while (body.hasRemaining()) channel.read(body);
        return channel;
    }

    static byte[] frame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length); // under 126; mask key zero leaves the payload as it is
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }
}
