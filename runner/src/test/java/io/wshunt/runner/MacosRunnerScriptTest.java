package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import io.wshunt.preflight.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ci/macos-runner.sh under bash 3.2 (see {@link Bash32}), with stand-ins for macOS's sysctl,
 * launchctl and sudo that keep their values in files, so that nothing on this machine changes.
 */
class MacosRunnerScriptTest {
    private static final Path SCRIPT = Path.of("..", "ci", "macos-runner.sh").toAbsolutePath().normalize();
    private static final Map<String, String> MAC_DEFAULTS = Map.of(
            "net.inet.ip.portrange.first", "49152", "net.inet.ip.portrange.last", "65535",
            "net.inet.ip.portrange.hifirst", "49152", "net.inet.ip.portrange.hilast", "65535",
            "kern.ipc.somaxconn", "128", "kern.maxfiles", "245760", "kern.maxfilesperproc", "122880",
            "kern.ipc.maxsockbuf", "8388608", "net.inet.tcp.msl", "15000");

    @TempDir
    Path dir;
    private Path values;
    private Path writes;

    private record Result(int exit, String output) {
    }

    @BeforeEach
    void standIns() throws IOException {
        values = Files.createDirectories(dir.resolve("values"));
        writes = dir.resolve("writes.log");
        for (Map.Entry<String, String> entry : MAC_DEFAULTS.entrySet()) {
            Files.writeString(values.resolve(entry.getKey()), entry.getValue() + "\n");
        }
        Files.writeString(values.resolve("launchctl.maxfiles"), "256 unlimited\n");
        standIn("sysctl", """
                if [[ $1 == -n ]]; then cat "%1$s/$2"
                else echo "sysctl $*" >> "%2$s"; echo "${2#*=}" > "%1$s/${2%%%%=*}"; fi
                """.formatted(values, writes));
        standIn("launchctl", """
                if [[ $# == 2 ]]; then read -r soft hard < "%1$s/launchctl.maxfiles"; printf '\\tmaxfiles    %%s %%s\\n' "$soft" "$hard"
                else echo "launchctl $*" >> "%2$s"; echo "$3 $4" > "%1$s/launchctl.maxfiles"; fi
                """.formatted(values, writes));
        // sudo -n: refuses (as a Mac without passwordless sudo would) when DENY is set.
        standIn("sudo", """
                [[ $1 == -n ]] || { echo "sudo without -n could wait for a password" >&2; exit 9; }
                shift; [[ -n ${DENY:-} ]] && { echo "sudo: a password is required" >&2; exit 1; }
                exec "$@"
                """);
    }

    private void standIn(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result run(boolean deny, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Bash32.path(), SCRIPT.toString()).redirectErrorStream(true);
        builder.command().addAll(java.util.List.of(args));
        builder.environment().put("SYSCTL", dir.resolve("sysctl").toString());
        builder.environment().put("LAUNCHCTL", dir.resolve("launchctl").toString());
        builder.environment().put("SUDO", dir.resolve("sudo") + " -n");
        builder.environment().put("WSHUNT_TUNE_STATE", dir.resolve("state").toString());
        if (deny) builder.environment().put("DENY", "1");
        Shell.Result result = Shell.run(builder.command(), builder.environment(), java.time.Duration.ofSeconds(30));
        assertThat(result.timedOut()).as("finished in time").isFalse();
        return new Result(result.exit(), result.output());
    }

    private String value(String key) throws IOException {
        return Files.readString(values.resolve(key)).trim();
    }

    @Test
    void dryRunPrintsEverySettingWithItsOldAndNewValueAndChangesNothing() throws Exception {
        Result result = run(false, "--dry-run", "--users", "20000");

        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("would set net.inet.ip.portrange.first: 49152 -> 10000")
                .contains("would set net.inet.ip.portrange.hifirst: 49152 -> 10000")
                .contains("would set kern.ipc.somaxconn: 128 -> 4096")
                .contains("would set kern.maxfiles: 245760 -> 400000")
                .contains("would set kern.maxfilesperproc: 122880 -> 200000")
                .contains("ok   kern.ipc.maxsockbuf = 8388608 (target 8388608)")
                .contains("would set net.inet.tcp.msl: 15000 -> 1000")
                .contains("would set launchctl limit maxfiles: 256 unlimited -> 200000 200000")
                .contains("would set ulimit -n")
                .contains("would run: ci/run-suite.sh --users 20000")
                .contains("would run: ci/gate.sh compare");
        for (String key : MAC_DEFAULTS.keySet()) {
            assertThat(result.output()).contains(" " + key);
        }
        assertThat(writes).as("a dry run writes nothing").doesNotExist();
    }

    @Test
    void tuneRaisesOnlyWhatFallsShortAndRestorePutsTheOldValuesBack() throws Exception {
        Files.writeString(values.resolve("kern.maxfiles"), "900000\n"); // already past the target: left alone
        Files.writeString(values.resolve("net.inet.tcp.msl"), "500\n"); // already shorter: left alone

        Result tune = run(false, "--tune");
        assertThat(tune.exit()).as(tune.output()).isZero();
        assertThat(value("net.inet.ip.portrange.first")).isEqualTo("10000");
        assertThat(value("kern.ipc.somaxconn")).isEqualTo("4096");
        assertThat(value("launchctl.maxfiles")).isEqualTo("200000 200000");
        assertThat(value("kern.maxfiles")).isEqualTo("900000");
        assertThat(value("net.inet.tcp.msl")).isEqualTo("500");
        assertThat(dir.resolve("state")).as("the old values outlive the script, for a later --restore").exists();

        Result again = run(false, "--tune");
        assertThat(again.exit()).as(again.output()).isZero();

        Result restore = run(false, "--restore");
        assertThat(restore.exit()).as(restore.output()).isZero();
        assertThat(value("net.inet.ip.portrange.first")).as("the machine's own value, not the first tune's").isEqualTo("49152");
        assertThat(value("kern.ipc.somaxconn")).isEqualTo("128");
        assertThat(value("launchctl.maxfiles")).isEqualTo("256 unlimited");
        assertThat(value("kern.maxfiles")).isEqualTo("900000");
        assertThat(dir.resolve("state")).doesNotExist();
        assertThat(Files.readString(writes)).doesNotContain("kern.maxfiles=").doesNotContain("net.inet.tcp.msl=");
    }

    @Test
    void withoutPasswordlessSudoItSaysSoAndFails() throws Exception {
        Result tune = run(true, "--tune");

        assertThat(tune.exit()).isNotZero();
        assertThat(tune.output()).contains("needs passwordless sudo");
        assertThat(value("kern.ipc.somaxconn")).isEqualTo("128");
    }

    @Test
    void aRunThatFailsStillRestoresEveryValueAndAFailedRestoreFailsIt() throws Exception {
        // The suite refuses an unknown simulation at once; the tuning before it must still be undone.
        Result run = run(false, "--users", "10", "--simulations", "NoSuchSimulation");

        assertThat(run.exit()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("set  kern.ipc.somaxconn: 128 -> 4096").contains("== restoring from");
        assertThat(value("kern.ipc.somaxconn")).isEqualTo("128");
        assertThat(value("launchctl.maxfiles")).isEqualTo("256 unlimited");
        assertThat(dir.resolve("state")).doesNotExist();

        Files.writeString(dir.resolve("state"), "kern.ipc.somaxconn=128\nkern.securelevel=0\nnet.inet.tcp.msl=15000; reboot\n");
        Result restore = run(false, "--restore");
        assertThat(restore.exit()).isEqualTo(1);
        assertThat(restore.output()).contains("refuse kern.securelevel: not one of this script's settings")
                .contains("refuse net.inet.tcp.msl = 15000; reboot: not a whole number");
    }
}
