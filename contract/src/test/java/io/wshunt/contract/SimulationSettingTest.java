package io.wshunt.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class SimulationSettingTest {
    private static final Path README = Path.of("..", "README.md");

    /** The README's settings table, setting to the default it shows: rows of "| `a` / `b` | `1` / `2` | meaning |". */
    private static Map<String, String> readmeDefaults() throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(README);
        int header = lines.indexOf("| property | default | meaning |");
        assertThat(header).as("the README has the settings table").isPositive();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) break;
            String[] cells = line.split("\\|");
            String[] names = cells[1].trim().split(" / ");
            String[] values = cells[2].trim().split(" / ");
            assertThat(values).as("one default per setting in: " + line).hasSameSizeAs(names);
            for (int i = 0; i < names.length; i++) {
                defaults.put(names[i].replace("`", ""), values[i].replace("`", ""));
            }
        }
        return defaults;
    }

    @Test
    void theReadmeTableListsEveryUserSettingWithItsDefaultAndNoOther() throws Exception {
        Map<String, String> shown = readmeDefaults();
        List<SimulationSetting> userSettings = Arrays.stream(SimulationSetting.values()).filter(setting -> !setting.setByRunner()).toList();

        assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(userSettings.stream().map(SimulationSetting::key).toList());
        for (SimulationSetting setting : userSettings) {
            if (setting.defaultValue() != null && !setting.defaultValue().isEmpty()) {
                assertThat(shown.get(setting.key())).as(setting.key()).isEqualTo(setting.defaultValue());
            }
        }
    }

    @Test
    void aBadNumberNamesItsSettingAndABlankOneTakesTheDefault() {
        Properties given = new Properties();
        given.setProperty("users", "lots");
        given.setProperty("connectRate", " ");
        given.setProperty("enduranceRate", "50_000");

        assertThatThrownBy(() -> SimulationSetting.USERS.intFrom(given)).hasMessage("-Dusers takes a whole number, not 'lots'");
        assertThat(SimulationSetting.CONNECT_RATE.intFrom(given)).isEqualTo(250);
        assertThat(SimulationSetting.ENDURANCE_RATE.intFrom(given)).isEqualTo(50_000);
        assertThat(SimulationSetting.CLUSTER_USERS.intFrom(given, 7)).as("a default worked out by the caller").isEqualTo(7);
    }

    @Test
    void onlyTheDefaultProfileRunsWithoutATarget() {
        assertThat(SimulationSetting.needsTarget("wshunt")).isFalse();
        assertThat(SimulationSetting.needsTarget("phoenix")).isTrue();
    }

    @Test
    void aServerCommandCarriesTheJvmFlagsTheClasspathAndTheServerFlagsInOrder() {
        List<String> command = ServerCommand.of(" -Xmx1g  -XX:+UseParallelGC ", "server.jar", List.of("--port", "0"));

        assertThat(command.get(0)).endsWith("java");
        assertThat(command).containsSubsequence("-Xmx1g", "-XX:+UseParallelGC", "-cp", "server.jar", ServerCommand.MAIN_CLASS, "--port", "0");
        assertThat(JavaCommand.words("  ")).isEmpty();
    }
}
