package io.wshunt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void defaultsKeepSilentConnectionsOpenAndCompressionOff() {
        ServerSettings settings = ServerSettings.defaults();
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.adminPort()).isEqualTo(8081);
        assertThat(settings.idleTimeout()).isGreaterThan(Duration.ofMinutes(30));
        assertThat(settings.compression()).isFalse();
        assertThat(settings.reusePort()).isFalse();
        assertThat(settings.fanOutThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(settings.selectors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(settings.nodeId()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        ServerSettings settings = ServerSettings.parse(
                new String[] {"--port", "9000", "--compression=true", "--node-id", "a"},
                Map.of("WSHUNT_PORT", "7000", "WSHUNT_ADMIN_PORT", "7001", "WSHUNT_REUSE_PORT", "true"));
        assertThat(settings.port()).isEqualTo(9000);
        assertThat(settings.adminPort()).isEqualTo(7001);
        assertThat(settings.compression()).isTrue();
        assertThat(settings.reusePort()).isTrue();
        assertThat(settings.nodeId()).isEqualTo("a");
    }

    @Test
    void badInputIsNamedPlainly() {
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--port", "http"}, Map.of()))
                .hasMessage("--port takes a whole number, not 'http'");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--prot", "1"}, Map.of()))
                .hasMessageContaining("unknown option --prot");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--port"}, Map.of()))
                .hasMessage("option --port needs a value");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--compression", "yes"}, Map.of()))
                .hasMessage("--compression takes true or false, not 'yes'");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--port", "9000", "--admin-port", "9000"}, Map.of()))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--fan-out-threads", "-1"}, Map.of()))
                .hasMessage("--fan-out-threads must be between 0 and 1024, not -1");
        assertThatThrownBy(() -> ServerSettings.parse(new String[] {"--selectors", "-1"}, Map.of()))
                .hasMessage("--selectors must be between 0 and 1024, not -1");
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        String help = ServerSettings.help();
        for (ServerSettings.Option option : ServerSettings.OPTIONS) {
            assertThat(help).contains("--" + option.flag(), option.envName());
        }
    }
}
