package io.wshunt.simulations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wshunt.contract.Profile;
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
        assertThat(ProfileExpressions.benchmark(wshunt, true, "xx")).isEqualTo("{\"type\":\"benchmark_test\",\"id\":\"#{userId}-#{i}\",\"content\":\"xx\"}");
        assertThat(ProfileExpressions.benchmark(wshunt, false, "xx")).as("no id, so no ack").isEqualTo("{\"type\":\"benchmark_test\",\"content\":\"xx\"}");
        assertThat(ProfileExpressions.chat(wshunt)).isEqualTo("{\"type\":\"chat_message\",\"content\":\"#{userId}-#{n}\"}");
    }

    @Test
    void aHubProfileTimesItsChatWithTheSendersClockAndHasNoBenchmark() throws Exception {
        Profile hub = Profile.load("broadcast-hub");

        assertThat(hub.welcome()).isNull();
        assertThat(ProfileExpressions.chat(hub)).contains("\"sent_at\":#{currentTimeMillis()}", "#{userId}-#{n}");
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

    /** Frames in Phoenix's JSON serializer (protocol 1.0.0) as its documentation gives them: the exchange a channel client sees. */
    @Test
    void thePhoenixProfileReadsAChannelsRecordedExchange() throws Exception {
        Profile phoenix = Profile.load("phoenix");
        ObjectMapper json = new ObjectMapper();
        String joinReply = "{\"topic\":\"room:lobby\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":\"u7-join\"}";
        String pingReply = "{\"topic\":\"room:lobby\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":\"u7-3\"}";
        String broadcast = "{\"topic\":\"room:lobby\",\"event\":\"new_msg\",\"payload\":{\"body\":\"u2-0\",\"sent_at\":1764390000555},\"ref\":null}";
        String presence = "{\"topic\":\"room:lobby\",\"event\":\"presence_diff\",\"payload\":{\"joins\":{},\"leaves\":{}},\"ref\":null}";

        assertThat(phoenix.join().reply().matches(json.readTree(joinReply))).isTrue();
        assertThat(phoenix.join().reply().matches(json.readTree(presence))).isFalse();
        assertThat(phoenix.benchmark().ack().matcher().matches(json.readTree(pingReply))).isTrue();
        assertThat(Profile.read(json.readTree(pingReply), phoenix.benchmark().ack().idField()).asText()).isEqualTo("u7-3");
        assertThat(ChatSteps.broadcastTimestamp(broadcast, phoenix.chat())).isEqualTo(1_764_390_000_555L);
        assertThat(ChatSteps.broadcastTimestamp(presence, phoenix.chat())).isEqualTo(ChatSteps.NOT_A_BROADCAST);
        assertThat(Profile.read(json.readTree(broadcast), phoenix.chat().tagField()).asText()).isEqualTo("u2-0");
        assertThat(ProfileExpressions.benchmark(phoenix, true, "x")).contains("\"ref\":\"#{userId}-#{i}\"");
        assertThat(phoenix.heartbeat().intervalSeconds()).isEqualTo(30);
        assertThat(json.readTree(ProfileExpressions.join(phoenix).replace("#{userId}", "u7"))).as("the join is JSON").isNotNull();
    }
}
