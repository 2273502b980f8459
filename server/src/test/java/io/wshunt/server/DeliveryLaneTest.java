package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.junit.jupiter.api.Test;

/**
 * A lane that fell behind sends what queued up in one write per session. The sessions here only
 * record what they were given: the lane's whole contract is the order, the batch flags and the
 * counts, which a real socket would hide.
 */
class DeliveryLaneTest {
    private final ServerStats stats = new ServerStats();
    private final DeliveryLane lane = new DeliveryLane(stats, InjectedRegression.Cost.NONE);

    @Test
    void sendsBroadcastsThatQueuedUpInOrderWithOneFlushPerSessionPerBatch() {
        RecordingSession alice = new RecordingSession(-1);
        RecordingSession bob = new RecordingSession(-1);
        lane.sessions().addAll(List.of(alice, bob));
        int broadcasts = DeliveryLane.MOST_PER_WRITE + 4;
        for (int n = 0; n < broadcasts; n++) {
            lane.hand(encoded("b" + n));
        }

        lane.start("lane-under-test");

        await().untilAsserted(() -> assertThat(stats.deliveries.sum()).isEqualTo(2L * broadcasts));
        for (RecordingSession session : List.of(alice, bob)) {
            assertThat(session.texts()).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, broadcasts).mapToObj(n -> "b" + n).toList());
            // The first batch is full: its last frame alone flushes; then the four left, the same way.
            assertThat(session.flushes).containsExactly(DeliveryLane.MOST_PER_WRITE - 1, broadcasts - 1);
        }
        assertThat(stats.deliveriesDropped.sum()).isZero();
        lane.stop();
    }

    @Test
    void countsABroadcastJettyRefusedWithinABatchAsDroppedAndTheRestAsDelivered() {
        RecordingSession refusesThird = new RecordingSession(2);
        lane.sessions().add(refusesThird);
        for (int n = 0; n < 5; n++) {
            lane.hand(encoded("b" + n));
        }

        lane.start("lane-under-test");

        await().untilAsserted(() -> assertThat(stats.deliveries.sum() + stats.deliveriesDropped.sum()).isEqualTo(5));
        assertThat(stats.deliveries.sum()).isEqualTo(4);
        assertThat(stats.deliveriesDropped.sum()).isEqualTo(1);
        lane.stop();
    }

    private static ByteBuffer encoded(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /** Completes every frame at once, as Jetty does once a frame is copied or written; fails the frame at {@code refuse}. */
    private static final class RecordingSession extends CoreSession.Empty {
        private final int refuse;
        private final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<Integer> flushes = new CopyOnWriteArrayList<>();

        RecordingSession(int refuse) {
            this.refuse = refuse;
        }

        @Override
        public void sendFrame(Frame frame, Callback callback, boolean batch) {
            int index = frames.size();
            frames.add(frame);
            if (!batch) {
                flushes.add(index);
            }
            if (index == refuse) {
                callback.failed(new IllegalStateException("refused"));
            } else {
                callback.succeeded();
            }
        }

        List<String> texts() {
            return frames.stream().map(Frame::getPayloadAsUTF8).toList();
        }
    }
}
