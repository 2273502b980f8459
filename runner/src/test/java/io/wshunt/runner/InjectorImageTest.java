package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.wshunt.contract.JavaCommand;
import org.junit.jupiter.api.Test;

class InjectorImageTest {
    @Test
    void theInjectorImageStartsItsJvmAsTheRunnerStartsAnInjector() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        List<String> flags = new ArrayList<>();
        Matcher flag = Pattern.compile("<jvmFlag>([^<]+)</jvmFlag>").matcher(pom);
        while (flag.find()) {
            flags.add(flag.group(1));
        }
        List<String> runner = new ArrayList<>(JavaCommand.words(InjectorFleet.DEFAULT_JVM_ARGS));
        runner.addAll(InjectorFleet.GATLING_JVM_FLAGS);

        assertThat(flags).isEqualTo(runner);
        assertThat(pom).contains("<mainClass>" + InjectorMain.class.getName() + "</mainClass>");
    }
}
