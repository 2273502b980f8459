package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ci/macos-runner.sh --dry-run on Linux, with stand-ins for macOS's sysctl and launchctl. */
class MacosRunnerScriptTest {
    private static final Path SCRIPT = Path.of("..", "ci", "macos-runner.sh").toAbsolutePath().normalize();
    private static final Map<String, String> MAC_DEFAULTS = Map.of(
            "net.inet.ip.portrange.first", "49152", "net.inet.ip.portrange.last", "65535",
            "net.inet.ip.portrange.hifirst", "49152", "net.inet.ip.portrange.hilast", "65535",
            "kern.ipc.somaxconn", "128", "kern.maxfiles", "245760", "kern.maxfilesperproc", "122880",
            "kern.ipc.maxsockbuf", "8388608", "net.inet.tcp.msl", "15000");

    @TempDir
    Path dir;

    private Path standIn(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void dryRunPrintsEverySettingWithItsOldAndNewValueAndChangesNothing() throws Exception {
        Path values = Files.createDirectories(dir.resolve("values"));
        for (Map.Entry<String, String> entry : MAC_DEFAULTS.entrySet()) {
            Files.writeString(values.resolve(entry.getKey()), entry.getValue() + "\n");
        }
        Path writes = dir.resolve("writes.log");
        Path sysctl = standIn("sysctl", """
                if [[ $1 == -n ]]; then cat "%s/$2"; else echo "$@" >> "%s"; fi
                """.formatted(values, writes));
        Path launchctl = standIn("launchctl", "echo '\tmaxfiles    256            unlimited'\n");

        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), "--dry-run", "--users", "20000").redirectErrorStream(true);
        builder.environment().put("SYSCTL", sysctl.toString());
        builder.environment().put("LAUNCHCTL", launchctl.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("would set net.inet.ip.portrange.first: 49152 -> 10000")
                .contains("would set net.inet.ip.portrange.hifirst: 49152 -> 10000")
                .contains("would set kern.ipc.somaxconn: 128 -> 4096")
                .contains("would set kern.maxfiles: 245760 -> 400000")
                .contains("would set kern.maxfilesperproc: 122880 -> 200000")
                .contains("would set kern.ipc.maxsockbuf: 8388608 -> 8388608")
                .contains("would set net.inet.tcp.msl: 15000 -> 1000")
                .contains("would set launchctl limit maxfiles: 256 unlimited -> 200000 200000")
                .contains("would set ulimit -n")
                .contains("would run: ci/run-suite.sh --users 20000")
                .contains("would run: ci/gate.sh compare");
        for (String key : MAC_DEFAULTS.keySet()) {
            assertThat(output).contains("would set " + key + ": ");
        }
        assertThat(writes).as("a dry run writes nothing").doesNotExist();
    }
}
