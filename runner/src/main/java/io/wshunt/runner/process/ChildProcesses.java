package io.wshunt.runner.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the runner starts, so that all of them are stopped when the run ends, fails or is
 * interrupted (Ctrl-C, SIGTERM): no orphan server, injector or Redis. A runner killed outright
 * (SIGKILL) runs no hook: each child then has a watchdog, a small shell of its own that stops the
 * child once the runner is gone.
 */
public final class ChildProcesses implements AutoCloseable {
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    /** Things started other than as processes (a Redis container), stopped with them. */
    private final List<Runnable> stoppers = new CopyOnWriteArrayList<>();
    private final Thread hook = new Thread(this::stopOnExit, "stop-children");

    public ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a command with its output in {@code log}. The child's soft open-files limit is raised
     * to the hard one first: a JVM cannot do that for itself, and it is what lets one process hold
     * thousands of sockets on a machine whose soft default is 1024.
     */
    public Process start(List<String> command, Path log) throws IOException {
        return start(command, Map.of(), log);
    }

    /** As {@link #start(List, Path)}, with these variables added to the child's environment. */
    public Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "ulimit -n \"$(ulimit -Hn)\" 2>/dev/null; exec \"$@\"", "sh"));
        wrapped.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(wrapped).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        watch(process.pid(), ProcessHandle.current().pid());
        return process;
    }

    /**
     * Starts a watchdog that stops process {@code child} (SIGTERM, then SIGKILL 10 s later) once
     * process {@code parent} has gone, and ends by itself when the child does. It checks once a second.
     */
    public static void watch(long child, long parent) throws IOException {
        String script = "while kill -0 \"$1\" 2>/dev/null; do"
                + "  if ! kill -0 \"$2\" 2>/dev/null; then kill -TERM \"$1\" 2>/dev/null; sleep 10; kill -KILL \"$1\" 2>/dev/null; exit 0; fi;"
                + "  sleep 1; done";
        new ProcessBuilder("sh", "-c", script, "watchdog", String.valueOf(child), String.valueOf(parent))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * Runs a command to its end as a child like the others, waiting at most {@code timeout}; past
     * it the command is stopped. Its exit code, or -1 when it ran out of time.
     */
    public int run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Process process = start(command, log);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                return -1;
            }
            return process.exitValue();
        } finally {
            processes.remove(process);
        }
    }

    /** Runs {@code stop} when the children are stopped: for what runs elsewhere, such as a container. */
    public void onClose(Runnable stop) {
        stoppers.add(stop);
    }

    /** SIGTERM (servers close their sessions and print their counters), then SIGKILL after a grace period. */
    public void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        processes.remove(process);
    }

    /** The shutdown hook: the JVM is going (Ctrl-C, SIGTERM) with children still running, and says so before it stops them. */
    private void stopOnExit() {
        if (!processes.isEmpty() || !stoppers.isEmpty()) {
            System.out.printf("%nExiting with %d process(es) still running (Ctrl-C, SIGTERM): stopping them%n", processes.size() + stoppers.size());
            System.out.flush();
        }
        stopAll();
    }

    void stopAll() {
        // Stop in parallel: twenty seconds of grace each would add up.
        List<Thread> threads = new ArrayList<>();
        for (Process process : processes) {
            Thread thread = new Thread(() -> stop(process));
            thread.start();
            threads.add(thread);
        }
        for (Thread stopper : threads) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Runnable stop : stoppers) {
            stop.run();
        }
        stoppers.clear();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run.
        }
    }
}
