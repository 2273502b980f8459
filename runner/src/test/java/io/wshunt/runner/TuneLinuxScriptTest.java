package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.wshunt.preflight.Shell;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ci/tune-linux.sh against a stand-in sysctl that keeps its values in files, so that nothing on this machine changes. */
class TuneLinuxScriptTest {
    private static final Path SCRIPT = Path.of("..", "ci", "tune-linux.sh").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    private Path values;
    private Path sysctl;

    @BeforeEach
    void standInSysctl() throws IOException {
        values = Files.createDirectories(dir.resolve("values"));
        Map.of("fs.file-max", "100000", "fs.nr_open", "1048576", "net.core.somaxconn", "4096",
                        "net.ipv4.tcp_max_syn_backlog", "2048", "net.core.netdev_max_backlog", "1000", "net.ipv4.tcp_tw_reuse", "0")
                .forEach((key, value) -> write(values.resolve(key), value));
        sysctl = dir.resolve("sysctl");
        Files.writeString(sysctl, """
                #!/usr/bin/env bash
                dir="$(dirname "$0")/values"
                if [[ $1 == -n ]]; then [[ -f $dir/$2 ]] && cat "$dir/$2" || exit 1
                elif [[ $1 == -w ]]; then [[ -n ${DENY:-} ]] && exit 1; echo "${2#*=}" > "$dir/${2%%=*}"
                fi
                """);
        Files.setPosixFilePermissions(sysctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Result(int exit, String output) {
    }

    private Result run(String option, boolean deny) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), option).redirectErrorStream(true);
        builder.environment().put("SYSCTL", sysctl.toString());
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
    void dryRunPrintsOldAndNewValuesAndChangesNothing() throws Exception {
        Result result = run("--dry-run", false);

        assertThat(result.exit()).isZero();
        assertThat(result.output())
                .contains("would set fs.file-max: 100000 -> 2097152")
                .contains("would set net.core.somaxconn: 4096 -> 65535")
                .contains("ok   fs.nr_open = 1048576")
                .contains("skip net.netfilter.nf_conntrack_max: not on this kernel");
        assertThat(value("net.core.somaxconn")).isEqualTo("4096");
    }

    @Test
    void appliesThenRestoresTheOldValues() throws Exception {
        assertThat(run("", false).exit()).isZero();
        assertThat(value("net.core.somaxconn")).isEqualTo("65535");
        assertThat(value("net.ipv4.tcp_tw_reuse")).isEqualTo("1");

        Result restore = run("--restore", false);

        assertThat(restore.exit()).isZero();
        assertThat(value("net.core.somaxconn")).isEqualTo("4096");
        assertThat(value("fs.file-max")).isEqualTo("100000");
        assertThat(value("net.ipv4.tcp_tw_reuse")).isEqualTo("0");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void saysSoWhenItLacksPermission() throws Exception {
        Result result = run("", true);

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("cannot set net.core.somaxconn (no permission? run with sudo)");
        assertThat(value("net.core.somaxconn")).isEqualTo("4096");
    }

    @Test
    void restoreSetsOnlyItsOwnKeysToWholeNumbersAndRefusesTheRest() throws Exception {
        Files.writeString(dir.resolve("state"), "kernel.core_pattern=|/tmp/x\nnet.core.somaxconn=1; reboot\nfs.file-max=90000\n");

        Result restore = run("--restore", false);

        assertThat(restore.exit()).isEqualTo(1);
        assertThat(restore.output()).contains("refuse kernel.core_pattern: not one of this script's settings")
                .contains("refuse net.core.somaxconn = 1; reboot: not a whole number").contains("restore fs.file-max = 90000");
        assertThat(value("fs.file-max")).isEqualTo("90000");
        assertThat(value("net.core.somaxconn")).isEqualTo("4096");
        assertThat(values.resolve("kernel.core_pattern")).doesNotExist();
    }

    @Test
    void anApplyKilledMidwayCanStillBeRestored() throws Exception {
        // The stand-in kills the script right after it changed somaxconn, the third key it raises (once).
        Files.writeString(sysctl, Files.readString(sysctl).replace("echo \"${2#*=}\" > \"$dir/${2%%=*}\"",
                "echo \"${2#*=}\" > \"$dir/${2%%=*}\"; [[ ${2%%=*} == net.core.somaxconn && ! -f $dir/killed ]] && touch $dir/killed && kill -9 $PPID; true"));

        run("", false);
        assertThat(value("net.core.somaxconn")).isEqualTo("65535");
        assertThat(value("net.ipv4.tcp_max_syn_backlog")).as("never reached").isEqualTo("2048");

        Result restore = run("--restore", false);

        assertThat(restore.exit()).isZero();
        assertThat(value("fs.file-max")).isEqualTo("100000");
        assertThat(value("net.core.somaxconn")).isEqualTo("4096");
    }

    @Test
    void aStateDirectoryOthersMayWriteIsRefused() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), "--restore").redirectErrorStream(true);
        builder.environment().put("SYSCTL", sysctl.toString());
        builder.environment().put("WSHUNT_TUNE_STATE", shared.resolve("state").toString());
        Files.writeString(shared.resolve("state"), "net.core.somaxconn=128\n");
        Shell.Result result = Shell.run(builder.command(), builder.environment(), java.time.Duration.ofSeconds(30));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("refusing " + shared).contains("writable by you alone");
        assertThat(value("net.core.somaxconn")).isEqualTo("4096");
    }

    @Test
    void tcpTwReuseIsSaidToChangeBehaviourNotALimit() throws Exception {
        assertThat(run("--dry-run", false).output()).contains("would set net.ipv4.tcp_tw_reuse: 0 -> 1 (NOT a limit, a behaviour");
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
