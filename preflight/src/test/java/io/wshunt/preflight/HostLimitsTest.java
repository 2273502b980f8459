package io.wshunt.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HostLimitsTest {

    @Test
    void readsLinuxLimitsFromProcAndUlimit() {
        Map<String, String> files = Map.of(
                "/proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n",
                "/proc/sys/fs/file-max", "2466160\n",
                "/proc/sys/fs/nr_open", "1048576\n",
                "/proc/sys/net/core/somaxconn", "4096\n",
                "/proc/sys/net/ipv4/tcp_max_syn_backlog", "2048\n",
                "/proc/meminfo", "MemTotal:       24000000 kB\nMemAvailable:   23000000 kB\n",
                "/proc/sys/kernel/io_uring_disabled", "2\n");
        Map<String, String> commands = Map.of("ulimit -Sn", "1024\n", "ulimit -Hn", "20000\n");

        HostLimits limits = HostLimits.read("Linux", commands::get, path -> files.get(path.toString()));

        assertThat(limits.openFilesSoft()).isEqualTo(1024);
        assertThat(limits.openFilesHard()).isEqualTo(20000);
        assertThat(limits.portsPerDestination()).isEqualTo(28232);
        assertThat(limits.somaxconn()).isEqualTo(4096);
        assertThat(limits.conntrackMax()).as("not loaded").isEqualTo(-1);
        assertThat(limits.memoryAvailableBytes()).isEqualTo(23_000_000L * 1024);
        assertThat(limits.ioUringDisabled()).isEqualTo(2);
    }

    @Test
    void readsMacOsLimitsFromSysctl() {
        Map<String, String> commands = Map.of(
                "ulimit -Sn", "256", "ulimit -Hn", "unlimited",
                "sysctl -n kern.maxfiles", "245760", "sysctl -n kern.maxfilesperproc", "122880",
                "sysctl -n net.inet.ip.portrange.first", "49152", "sysctl -n net.inet.ip.portrange.last", "65535",
                "sysctl -n kern.ipc.somaxconn", "128", "sysctl -n hw.memsize", "17179869184");

        HostLimits limits = HostLimits.read("Mac OS X", commands::get, (Path path) -> null);

        assertThat(limits.os()).isEqualTo("macOS");
        assertThat(limits.openFilesHard()).isEqualTo(Long.MAX_VALUE);
        assertThat(limits.portsPerDestination()).as("the 16,383 of the story, plus one").isEqualTo(16384);
        assertThat(limits.perProcessFileMax()).isEqualTo(122880);
        assertThat(limits.somaxconn()).isEqualTo(128);
    }

    @Test
    void anUnreadableValueIsUnknownNotZero() {
        HostLimits limits = HostLimits.read("Linux", command -> null, path -> null);
        assertThat(limits.openFilesHard()).isEqualTo(-1);
        assertThat(limits.portsPerDestination()).isEqualTo(-1);
    }
}
