package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ProcessSamplerTest {
    @Test
    void readsTheMemoryAndCpuOfARunningProcess() throws Exception {
        ProcessSampler sampler = new ProcessSampler();
        long pid = ProcessHandle.current().pid();
        sampler.sample("me", pid);
        long until = System.nanoTime() + 300_000_000L;
        double sink = 0;
        while (System.nanoTime() < until) {
            sink += Math.sqrt(sink + 1); // a busy thread: CPU the sampler must see
        }
        sampler.sample("me", pid);

        Map<?, ?> me = (Map<?, ?>) sampler.toMap().get("me");
        assertThat((Long) me.get("peak_rss_mb")).as("a JVM's resident memory").isGreaterThan(10);
        assertThat((Long) me.get("peak_cpu_percent")).as("one busy thread, sink " + sink).isGreaterThan(20);
    }

    @Test
    void readsTheCpuOfProcessesAndOfTheWholeMachineBetweenTwoInstants() {
        ProcessSampler sampler = new ProcessSampler();
        long pid = ProcessHandle.current().pid();
        long from = System.currentTimeMillis();
        sampler.sample("injector-1", pid);
        sampler.sampleMachine();
        double sink = 0;
        for (int i = 0; i < 3; i++) {
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until) {
                sink += Math.sqrt(sink + 1);
            }
            sampler.sample("injector-1", pid);
            sampler.sampleMachine();
        }
        long to = System.currentTimeMillis();

        assertThat(sampler.cpuPercent("injector", from, to)).as("one busy thread, sink " + sink).isBetween(20.0, 400.0);
        assertThat(sampler.cpuPercent(ProcessSampler.MACHINE, from, to)).as("the machine, busy with that thread at least")
                .isGreaterThanOrEqualTo(20.0);
        assertThat(sampler.cpuPercent("server", from, to)).as("no server read").isNaN();
        assertThat(sampler.cpuPercent("injector", to + 1, to + 1_000)).as("nothing read then").isNaN();
    }

    @Test
    void aProcessThatIsGoneIsSkippedNotAnError() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        ProcessSampler sampler = new ProcessSampler();

        sampler.sample("gone", done.pid());

        assertThat(sampler.toMap().get("gone")).asString().contains("peak_rss_mb=0");
    }
}
