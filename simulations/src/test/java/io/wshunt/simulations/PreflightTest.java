package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreflightTest {

    @Test
    void passesWhatThisProcessCanHold() {
        assertThatCode(() -> Preflight.check(10)).doesNotThrowAnyException();
    }

    @Test
    void namesTheOpenFilesLimitAndHowToRaiseIt() {
        assertThatThrownBy(() -> Preflight.check(5_000_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Open-files limit")
                .hasMessageContaining("ulimit -n")
                .hasMessageContaining("ci/run-suite.sh");
    }
}
