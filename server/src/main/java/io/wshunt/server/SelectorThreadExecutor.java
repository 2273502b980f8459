package io.wshunt.server;

import java.util.concurrent.Executor;

/**
 * The users' connectors' executor: a task handed over by a thread that is running a task of one of
 * these executors (a selector's loop, or what it started) runs at once on that thread; any other
 * goes to the pool, and that pool thread counts as such a thread while it runs it. The mark is
 * shared by every connector of the process, so a completion one address's selector hands to
 * another's runs where it is too.
 *
 * <p>Why: Jetty hands every read a selector sees ready to another pool thread unless the
 * connection declares that it never blocks, and its WebSocket connection does not. With each
 * user's frames arriving one read at a time, every message paid for a thread wakeup: the servers
 * spent 1.6 times the CPU per fire-and-forget message at 50,000 users (results/MEASUREMENTS.md).
 * Nothing the server does on a read blocks: a JSON parse, a count, an ack written asynchronously,
 * a broadcast handed to the delivery lanes, a Redis publish queued for its own thread.
 */
final class SelectorThreadExecutor implements Executor {
    private static final ThreadLocal<Boolean> OWN = ThreadLocal.withInitial(() -> false);
    private final Executor pool;

    SelectorThreadExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        if (OWN.get()) {
            task.run();
            return;
        }
        pool.execute(() -> {
            OWN.set(true);
            try {
                task.run();
            } finally {
                OWN.set(false);
            }
        });
    }
}
