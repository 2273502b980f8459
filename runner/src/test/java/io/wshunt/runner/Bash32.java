package io.wshunt.runner;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bash every Mac runs our scripts with: /bin/bash (3.2) on a Mac; on Linux the bash 3.2 that
 * WSHUNT_BASH32 names ({@code .ci/run} sets it when the team's bash 3.2 build is beside the project). Without one the
 * scripts run under this machine's bash, and the tests say so.
 */
final class Bash32 {
    private Bash32() {
    }

    static String path() {
        if (System.getProperty("os.name", "").startsWith("Mac")) {
            return "/bin/bash";
        }
        String named = System.getenv("WSHUNT_BASH32");
        if (named != null && Files.isExecutable(Path.of(named))) {
            return named;
        }
        System.out.println("WSHUNT_BASH32 names no bash 3.2: the scripts run under this machine's bash, not macOS's");
        return "bash";
    }
}
