package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
    @TempDir
    Path dir;

    @Test
    void everyBuiltInProfileLoads() {
        for (String name : Profile.BUILT_IN) {
            assertThat(Profile.load(name).name()).isEqualTo(name);
        }
    }

    @Test
    void theWshuntProfileSaysWhatTheSimulationsAlwaysSent() {
        Profile wshunt = Profile.load("wshunt");

        assertThat(wshunt.path()).isEqualTo("/ws/#{userId}");
        assertThat(wshunt.benchmarkExpression(true, "xx")).isEqualTo("{\"type\":\"benchmark_test\",\"id\":\"#{userId}-#{i}\",\"content\":\"xx\"}");
        assertThat(wshunt.benchmarkExpression(false, "xx")).as("no id, so no ack").isEqualTo("{\"type\":\"benchmark_test\",\"content\":\"xx\"}");
        assertThat(wshunt.chatExpression()).isEqualTo("{\"type\":\"chat_message\",\"content\":\"#{userId}-#{n}\"}");
    }

    @Test
    void aHubProfileTimesItsChatWithTheSendersClockAndHasNoBenchmark() throws Exception {
        Profile hub = Profile.load("broadcast-hub");

        assertThat(hub.welcome()).isNull();
        assertThat(hub.chatExpression()).contains("\"sent_at\":#{currentTimeMillis()}", "#{userId}-#{n}");
        assertThat(hub.cannotSendBenchmarks(false)).hasValueSatisfying(why -> assertThat(why).contains("no benchmark message"));
        assertThat(Profile.load("echo").cannotSendBenchmarks(true)).isEmpty();
        assertThat(hub.chat().broadcast().matches(new ObjectMapper().readTree("{\"type\":\"chat_message\"}"))).isTrue();
        assertThat(hub.chat().broadcast().matches(new ObjectMapper().readTree("{\"type\":{\"x\":1}}"))).isFalse();
    }

    @Test
    void aProfileFileIsReadAndCheckedWithClearErrors() throws Exception {
        Path file = dir.resolve("mine.json");
        Files.writeString(file, "{\"name\":\"mine\",\"about\":\"x\",\"path\":\"/socket?id=#{userId}\"}");
        assertThat(Profile.load(file.toString()).path()).isEqualTo("/socket?id=#{userId}");

        Files.writeString(file, "{\"name\":\"mine\",\"path\":\"/socket\"}");
        assertThatThrownBy(() -> Profile.load(file.toString())).hasMessageContaining("#{userId}");
        Files.writeString(file, "{\"name\":\"mine\",\"path\":\"/s/#{userId}\",\"welcom\":null}");
        assertThatThrownBy(() -> Profile.load(file.toString())).as("a misspelt field is an error, not ignored").hasMessageContaining("welcom");
        Files.writeString(file, "{\"name\":\"mine\",\"path\":\"/s/#{userId}\",\"benchmark\":{\"message\":\"{}\"}}");
        assertThatThrownBy(() -> Profile.load(file.toString())).hasMessageContaining("#{messageId}");
        assertThatThrownBy(() -> Profile.load("no-such-profile")).hasMessageContaining("neither a built-in profile");
    }
}
