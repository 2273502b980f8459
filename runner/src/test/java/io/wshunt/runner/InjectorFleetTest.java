package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InjectorFleetTest {
    @Test
    void aRampsInjectorsGetTheRampsHeapWhereTheRunKeptTheDefaultFlagsAndTheirOwnOtherwise() {
        String recording = " -XX:StartFlightRecording=filename=x.jfr";

        assertThat(InjectorFleet.jvmArgs(InjectorFleet.DEFAULT_JVM_ARGS + recording, "ConnectionRamp")).isEqualTo(InjectorFleet.RAMP_JVM_ARGS + recording);
        assertThat(InjectorFleet.jvmArgs(InjectorFleet.DEFAULT_JVM_ARGS, "MessageThroughput")).isEqualTo(InjectorFleet.DEFAULT_JVM_ARGS);
        assertThat(InjectorFleet.jvmArgs("-Xmx1g", "ConnectionRamp")).as("the user's own").isEqualTo("-Xmx1g");
    }
}
