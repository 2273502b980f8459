package io.wshunt.preflight;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The check a simulation makes before any load when one process opens every connection (mvn gatling:test). */
class PreflightTest {

    @Test
    void passesWhatThisProcessCanHold() {
        assertThatCode(() -> Preflight.requireOneProcess(10)).doesNotThrowAnyException();
    }

    @Test
    void namesTheFirstLimitInTheWayAndHowToLiftIt() {
        assertThatThrownBy(() -> Preflight.requireOneProcess(5_000_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("open files per process")
                .hasMessageContaining("5000000 users in one process")
                .hasMessageContaining("ci/run-suite.sh");
    }
}
