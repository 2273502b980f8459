package io.wshunt.runner.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ListeningProcessTest {
    @Test
    void theProcessListeningOnAPortIsFoundWithItsCpuAndAClosedPortHasNone() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "Linux only: /proc");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
            ListeningProcess found = ListeningProcess.on(socket.getLocalPort()).orElseThrow();

            assertThat(found.pid()).as("this JVM listens on it").isEqualTo(ProcessHandle.current().pid());
            assertThat(found.name()).isNotBlank();
            assertThat(found.cpuNanos()).isPositive();
        }
        assertThat(ListeningProcess.on(closed)).isEmpty();
    }
}
