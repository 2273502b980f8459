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
    void aProcessThatIsGoneIsSkippedNotAnError() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        ProcessSampler sampler = new ProcessSampler();

        sampler.sample("gone", done.pid());

        assertThat(sampler.toMap().get("gone")).asString().contains("peak_rss_mb=0");
    }
}
