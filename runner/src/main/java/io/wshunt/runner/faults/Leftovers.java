package io.wshunt.runner.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Processes still running with a fault's mark in their environment (Linux /proc): whatever a run
 * started and did not stop. Waited for a bounded while, since stopping takes a few seconds, then
 * named and killed, so that one fault's leftovers do not disturb the next.
 */
final class Leftovers {
    private Leftovers() {
    }

    /** "pid command" of each process left after {@code grace}; those are then killed. */
    static List<String> reap(String mark, Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> left = find(mark);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            left = find(mark);
        }
        List<String> named = new ArrayList<>();
        for (ProcessHandle handle : left) {
            named.add(handle.pid() + " " + handle.info().command().orElse("?"));
            handle.destroyForcibly();
        }
        return named;
    }

    static List<ProcessHandle> find(String mark) {
        String wanted = SuiteRun.MARK + "=" + mark + "\0";
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) continue;
                try {
                    // Latin-1 maps every byte to one char: the NUL-separated environment searched as text.
                    if (new String(Files.readAllBytes(entry.resolve("environ")), StandardCharsets.ISO_8859_1).contains(wanted)) {
                        ProcessHandle.of(Long.parseLong(name)).filter(ProcessHandle::isAlive).ifPresent(found::add);
                    }
                } catch (IOException | SecurityException gone) {
                    // Ended while we looked, or not ours to read.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: the fault suite needs Linux", e);
        }
        return found;
    }
}
