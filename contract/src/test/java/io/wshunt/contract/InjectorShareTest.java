package io.wshunt.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InjectorShareTest {
    @Test
    void sharesAddUpAndNeitherOverlapNorLeaveGaps() {
        // 4 chat senders over 3 injectors: 2, 1, 1.
        assertThat(new InjectorShare(0, 3).of(4)).isEqualTo(2);
        assertThat(new InjectorShare(0, 3).before(4)).isZero();
        assertThat(new InjectorShare(1, 3).before(4)).isEqualTo(2);
        assertThat(new InjectorShare(2, 3).before(4)).isEqualTo(3);
        assertThat(new InjectorShare(2, 3).before(4) + new InjectorShare(2, 3).of(4)).isEqualTo(4);
        assertThat(new InjectorShare(0, 3).of(20) + new InjectorShare(1, 3).of(20) + new InjectorShare(2, 3).of(20)).isEqualTo(20);
    }

    @Test
    void anIndexOutsideTheRunIsRefused() {
        assertThatThrownBy(() -> new InjectorShare(3, 3)).hasMessageContaining("from 0 to 2");
    }
}
