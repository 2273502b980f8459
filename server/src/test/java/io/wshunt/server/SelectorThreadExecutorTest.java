package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SelectorThreadExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final SelectorThreadExecutor executor = new SelectorThreadExecutor(pool);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void aTaskFromOutsideRunsOnThePool() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        executor.execute(() -> ranOn.complete(Thread.currentThread()));
        assertThat(ranOn.get(5, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aTaskHandedOverByOneOfItsOwnThreadsRunsThereAtOnce() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        executor.execute(() -> {
            Thread loop = Thread.currentThread();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            executor.execute(() -> ranOn.set(Thread.currentThread()));
            // Ran before execute returned, on the handing thread: no wakeup of another.
            seen.complete(ranOn.get() == loop ? "same thread, at once" : "elsewhere: " + ranOn.get());
        });
        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("same thread, at once");
    }

    @Test
    void aPoolThreadIsItsOwnOnlyWhileItRunsOneOfItsTasks() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            SelectorThreadExecutor over = new SelectorThreadExecutor(single);
            CompletableFuture<Void> first = new CompletableFuture<>();
            over.execute(() -> first.complete(null));
            first.get(5, TimeUnit.SECONDS);
            // The same pool thread, now running a task that is not the executor's: hands over to the pool.
            CompletableFuture<Boolean> ranAtOnce = new CompletableFuture<>();
            single.execute(() -> {
                boolean[] ran = {false};
                over.execute(() -> ran[0] = true);
                ranAtOnce.complete(ran[0]);
            });
            assertThat(ranAtOnce.get(5, TimeUnit.SECONDS)).isFalse();
        } finally {
            single.shutdownNow();
        }
    }
}
