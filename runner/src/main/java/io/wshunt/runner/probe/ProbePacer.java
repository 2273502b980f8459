package io.wshunt.runner.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Offers a phase's units at a fixed rate, until the phase stops. Paced, every server of a pair gets
 * the same offered load whatever each one costs: closed-loop, a cheaper moment on one side finds
 * more frames per wakeup and pays less per frame, and the pair's CPU ratio swings with that (sd 0.09
 * per 3 s stretch here) instead of with the code. Phases paced at one rate at the same moment share
 * one thread, which sends each unit to every one of them in turn: two servers then get their frames
 * at the same instants (sd 0.005), where a thread each, jostling on the probe's CPU, gave 0.014.
 */
final class ProbePacer {
    /** How long the pacer sleeps between catching up: short against a window, long against a send. */
    private static final long TICK_NANOS = 200_000;
    private static final Map<Integer, ProbePacer> RUNNING = new HashMap<>();

    private final int perSecond;
    /** Guarded by the class: phases join while the thread runs. */
    private final List<Paced> paced = new ArrayList<>();

    private record Paced(ProbeLoad load, LongConsumer send) {
    }

    private ProbePacer(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Offers {@code perSecond} units to a phase until its load stops: {@code send} gets the pacer's tick, a number that grows by one a unit. */
    static void start(ProbeLoad load, int perSecond, LongConsumer send) {
        synchronized (ProbePacer.class) {
            ProbePacer pacer = RUNNING.get(perSecond);
            if (pacer == null) {
                pacer = new ProbePacer(perSecond);
                RUNNING.put(perSecond, pacer);
                Thread thread = new Thread(pacer::run, "probe-pacer-" + perSecond);
                thread.setDaemon(true);
                thread.start();
            }
            pacer.paced.add(new Paced(load, send));
        }
    }

    private void run() {
        long start = System.nanoTime();
        long ticks = 0;
        while (true) {
            List<Paced> now;
            synchronized (ProbePacer.class) {
                paced.removeIf(phase -> !phase.load().running());
                if (paced.isEmpty()) {
                    RUNNING.remove(perSecond);
                    return;
                }
                now = List.copyOf(paced);
            }
            long due = (System.nanoTime() - start) * perSecond / 1_000_000_000L;
            for (; ticks < due; ticks++) {
                // The first in line alternates, so that neither server always gets its frame first.
                for (int i = 0; i < now.size(); i++) {
                    Paced phase = now.get((int) ((i + ticks) % now.size()));
                    if (phase.load().running()) phase.send().accept(ticks);
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }
}
