package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeersTest {
    @TempDir
    Path dir;

    @Test
    void eachInjectorReplacesItsOwnCountsAndReadsTheSumOfEveryones() {
        Peers first = new Peers(dir, 0);
        Peers second = new Peers(dir, 500);
        first.publish(300, 2);
        second.publish(100, 0);
        first.publish(500, 4);

        assertThat(second.summed()).containsEntry(Peers.ARRIVED, 600L).containsEntry(Peers.CHAT_SENT, 4L);
        assertThat(dir.toFile().list()).as("one file each, nothing half-written left").hasSize(2);
    }

    @Test
    void usersWaitForEveryInjectorsUsersButNeverForDeliveriesTheInjectorsCannotSee() throws Exception {
        Counters mine = new Counters();
        mine.connected.add(300);
        mine.connectFailed.add(1);
        new Peers(dir, 301).publish(299, 0);
        try (ClusterView view = new ClusterView(List.of(), Optional.of(new Peers(dir, 0)), mine)) {
            view.start();
            assertThat(view.known()).isTrue();
            assertThat(view.connections()).as("arrived here and there, a failed connect too").isEqualTo(600);
            assertThat(view.readsServerCounters()).isFalse();
            assertThat(view.counters()).as("no server counters to hand to the merge").isEmpty();
        }
    }
}
