package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InjectorMainTest {
    private static Map<String, String> env(String index) {
        Map<String, String> env = new HashMap<>(Map.of(
                InjectorMain.SIMULATION, "ChatBroadcast",
                InjectorMain.COUNT, "3",
                InjectorMain.USERS, "1000",
                InjectorMain.TARGETS, "ws://10.0.0.1:8080, ws://10.0.0.2:8080",
                InjectorMain.STATS, "http://10.0.0.1:8081/stats,http://10.0.0.2:8081/stats",
                InjectorMain.RESULTS, "/results",
                InjectorMain.SETTINGS, "chatSenders=4 connectRate=1000 enduranceSeconds=20 mode=fire"));
        env.put(InjectorMain.JOB_INDEX, index);
        return env;
    }

    @Test
    void eachInjectorWorksOutItsOwnShareFromItsEnvironmentAsAPodOfAnIndexedJobWould() {
        InjectorMain.Injection first = InjectorMain.Injection.of(env("0"));
        InjectorMain.Injection third = InjectorMain.Injection.of(env("2"));

        assertThat(first.properties()).containsEntry("users", "334").containsEntry("userIdOffset", "0").containsEntry("target", "ws://10.0.0.1:8080")
                .containsEntry("chatSenders", "2").containsEntry("chatSenderOffset", "0").containsEntry("clusterChatSenders", "4")
                .containsEntry("clusterUsers", "1000").containsEntry("connectRate", "334").containsEntry("mode", "fire")
                .containsEntry("enduranceSeconds", String.valueOf(20 + InjectorMain.PACED_MARGIN_SECONDS)).containsEntry("failOnLoss", "false");
        assertThat(third.properties()).containsEntry("users", "333").containsEntry("userIdOffset", "667").containsEntry("target", "ws://10.0.0.1:8080")
                .containsEntry("chatSenders", "1").containsEntry("chatSenderOffset", "3");
        assertThat(third.dir()).isEqualTo(Path.of("/results/injector-3"));
        assertThat(third.properties()).containsEntry("countersDir", "/results/injector-3");
    }

    @Test
    void aMissingOrWrongVariableIsNamed() {
        Map<String, String> noIndex = env("0");
        noIndex.remove(InjectorMain.JOB_INDEX);
        assertThatThrownBy(() -> InjectorMain.Injection.of(noIndex)).hasMessageContaining("JOB_COMPLETION_INDEX");

        Map<String, String> typo = env("0");
        typo.put(InjectorMain.SETTINGS, "chatSender=4");
        assertThatThrownBy(() -> InjectorMain.Injection.of(typo)).hasMessageContaining("not 'chatSender=4'");

        Map<String, String> outside = env("3");
        assertThatThrownBy(() -> InjectorMain.Injection.of(outside)).hasMessageContaining("from 0 to 2");
    }
}
