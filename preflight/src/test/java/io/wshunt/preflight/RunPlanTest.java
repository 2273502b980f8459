package io.wshunt.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunPlanTest {
    private static HostLimits linux(long hardFiles, long memoryBytes) {
        return new HostLimits("Linux", 1024, hardFiles, 2_466_160, 1_048_576, 32768, 60999, 4096, 4096, -1, memoryBytes, 2, 0);
    }

    @Test
    void splitsFiftyThousandUsersOverThreeServersAndFourInjectorsWhenAProcessHoldsUnderTwentyThousandFiles() {
        RunPlan plan = RunPlan.derive(50_000, linux(20_000, 24L << 30), 0, 0);

        assertThat(plan.servers()).isEqualTo(3);
        assertThat(plan.injectors()).as("three would hold the files, but 16,667 users each are past the even half of 28,232 ports").isEqualTo(4);
        assertThat(plan.injectorAddresses()).containsExactly("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4");
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.checks()).filteredOn(check -> !check.limit().equals("CPUs")).allMatch(RunPlan.Check::ok);
        assertThat(plan.usersOfInjector(0) + plan.usersOfInjector(1) + plan.usersOfInjector(2) + plan.usersOfInjector(3)).isEqualTo(50_000);
        assertThat(plan.userIdOffset(2)).isEqualTo(plan.usersOfInjector(0) + plan.usersOfInjector(1));
    }

    @Test
    void warnsWithoutBlockingWhenTheUserGivesInjectorsPastTheEvenHalfOfThePortRange() {
        RunPlan plan = RunPlan.derive(50_000, linux(20_000, 24L << 30), 0, 3);

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.checks()).filteredOn(check -> check.limit().startsWith("ports connect() takes first")).singleElement().satisfies(check -> {
            assertThat(check.verdict()).isEqualTo("warn");
            assertThat(check.value()).isEqualTo("14116");
            assertThat(check.fix()).contains("--injectors 4").contains("ip_local_port_range");
        });
    }

    @Test
    void aTunedMachineRunsOneProcessOfEach() {
        HostLimits tuned = new HostLimits("Linux", 1_048_576, 1_048_576, 2_466_160, 1_048_576, 10000, 65535, 65535, 65535, -1, 24L << 30, 2, 0);
        RunPlan plan = RunPlan.derive(20_000, tuned, 0, 0);
        assertThat(plan.servers()).isEqualTo(1);
        assertThat(plan.injectors()).isEqualTo(1);
    }

    @Test
    void moreUsersThanHalfOfOneAddresssPortsNeedAnotherInjectorAddress() {
        RunPlan plan = RunPlan.derive(40_000, linux(1_048_576, 24L << 30), 0, 0);
        assertThat(plan.injectors()).isEqualTo(3);
        assertThat(plan.checks()).filteredOn(check -> check.limit().startsWith("ephemeral") || check.limit().startsWith("ports"))
                .hasSize(2).allMatch(RunPlan.Check::ok);
    }

    @Test
    void namesThePortRangeWhenTheUserForcesOneInjector() {
        RunPlan plan = RunPlan.derive(40_000, linux(1_048_576, 24L << 30), 1, 1);
        assertThat(plan.firstBottleneck()).hasValueSatisfying(check -> {
            assertThat(check.limit()).startsWith("ephemeral ports");
            assertThat(check.fix()).contains("ip_local_port_range");
        });
    }

    @Test
    void warnsWithoutBlockingWhenTheKernelTurnedIoUringOff() {
        HostLimits limits = linux(20_000, 24L << 30);
        HostLimits noIoUring = new HostLimits(limits.os(), limits.openFilesSoft(), limits.openFilesHard(), limits.fileMax(),
                limits.perProcessFileMax(), limits.portRangeLow(), limits.portRangeHigh(), limits.somaxconn(), limits.synBacklog(),
                limits.conntrackMax(), limits.memoryAvailableBytes(), limits.cpus(), 2);
        RunPlan plan = RunPlan.derive(1_000, noIoUring, 0, 0);
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.checks()).filteredOn(check -> check.limit().startsWith("kernel.io_uring_disabled")).singleElement()
                .satisfies(check -> {
                    assertThat(check.verdict()).isEqualTo("warn");
                    assertThat(check.fix()).contains("sysctl -w kernel.io_uring_disabled=0");
                });
        assertThat(RunPlan.derive(1_000, limits, 0, 0).checks()).filteredOn(check -> check.limit().startsWith("kernel.io_uring"))
                .allMatch(RunPlan.Check::ok);
    }

    @Test
    void namesMemoryWhenTheMachineIsTooSmall() {
        RunPlan plan = RunPlan.derive(50_000, linux(20_000, 1L << 30), 0, 0);
        assertThat(plan.feasible()).isFalse();
        assertThat(plan.firstBottleneck()).hasValueSatisfying(check -> assertThat(check.limit()).isEqualTo("memory available"));
    }

    @Test
    void onMacOsEveryInjectorUsesTheOneLoopbackAddressAndTheDefaultRangeIsTheBottleneck() {
        HostLimits mac = new HostLimits("macOS", 256, 1_000_000, 400_000, 200_000, 49152, 65535, 128, -1, -1, 16L << 30, 8, -1);
        RunPlan plan = RunPlan.derive(20_000, mac, 0, 0);
        assertThat(plan.injectorAddresses()).containsOnly("127.0.0.1");
        assertThat(plan.firstBottleneck()).hasValueSatisfying(check -> {
            assertThat(check.value()).startsWith("16384");
            assertThat(check.fix()).contains("net.inet.ip.portrange.first");
        });
    }
}
