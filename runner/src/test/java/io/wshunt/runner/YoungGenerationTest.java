package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class YoungGenerationTest {
    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void allocatesUntilTheNextCollectionHasEmptiedIt() {
        long before = collections();

        long allocated = YoungGeneration.touchUntilCollected(Duration.ofSeconds(60));

        assertThat(collections()).isGreaterThan(before);
        assertThat(allocated).isPositive();
    }
}
