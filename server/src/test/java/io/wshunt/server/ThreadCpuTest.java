package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void aThreadThatEndsKeepsItsTimeInTheTotal() throws Exception {
        ThreadCpu cpu = new ThreadCpu(THREADS);
        CountDownLatch worked = new CountDownLatch(1);
        CountDownLatch mayEnd = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            burn(100_000_000L);
            worked.countDown();
            try {
                mayEnd.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        worked.await();
        long whileAlive = cpu.totalNanos();
        mayEnd.countDown();
        worker.join();

        long afterItEnded = cpu.totalNanos();

        // A sum over the live threads alone would fall by the worker's 100 ms here.
        assertThat(afterItEnded).isGreaterThanOrEqualTo(whileAlive);
        assertThat(cpu.ended()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theTotalCountsTheWorkOfLiveThreads() {
        ThreadCpu cpu = new ThreadCpu(THREADS);
        long before = cpu.totalNanos();
        burn(50_000_000L);
        assertThat(cpu.totalNanos() - before).isGreaterThanOrEqualTo(50_000_000L);
    }

    private static void burn(long cpuNanos) {
        long start = THREADS.getCurrentThreadCpuTime();
        long x = 1;
        while (THREADS.getCurrentThreadCpuTime() - start < cpuNanos) {
            x = x * 31 + 7;
        }
        if (x == 42) System.out.print("");
    }
}
