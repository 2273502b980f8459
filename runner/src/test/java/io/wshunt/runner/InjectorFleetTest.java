package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InjectorFleetTest {
    @Test
    void everyInjectorKnowsWhereItsShareStartsSoThatSharesNeitherOverlapNorLeaveGaps() {
        // 4 chat senders over 3 injectors: 2, 1, 1.
        assertThat(InjectorFleet.share(4, 3, 0)).isEqualTo(2);
        assertThat(InjectorFleet.sharesBefore(4, 3, 0)).isZero();
        assertThat(InjectorFleet.sharesBefore(4, 3, 1)).isEqualTo(2);
        assertThat(InjectorFleet.sharesBefore(4, 3, 2)).isEqualTo(3);
        assertThat(InjectorFleet.sharesBefore(4, 3, 2) + InjectorFleet.share(4, 3, 2)).isEqualTo(4);
    }
}
