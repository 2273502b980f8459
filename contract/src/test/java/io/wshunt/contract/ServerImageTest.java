package io.wshunt.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ServerImageTest {
    @Test
    void theServerImageStartsTheJvmWithTheFlagsEveryOtherServerGets() throws Exception {
        String pom = Files.readString(Path.of("..", "server", "pom.xml"));
        List<String> flags = new ArrayList<>();
        Matcher flag = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(pom);
        while (flag.find()) {
            flags.add(flag.group(1));
        }

        assertThat(String.join(" ", flags)).isEqualTo(ServerCommand.DEFAULT_JVM_ARGS);
    }
}
