package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;

/**
 * Sustained benchmark traffic: with every user connected, {@code enduranceRate} messages/s in all
 * for {@code enduranceSeconds} (60 at full scale), paced per user, acked unless {@code -Dmode=fire}.
 */
public class Endurance extends WshuntSimulation {
    private final ScenarioBuilder endurance = scenario("Endurance")
            .exec(steps.connect(), steps.awaitEveryoneConnected(), steps.benchmarkSustained(), steps.close());

    {
        setUp(endurance.injectOpen(rampUsers(settings.users()).during(settings.rampDuration())))
                .protocols(protocol())
                .assertions(assertions(settings.acked() ? ChatSteps.ACK : "connect"));
    }
}
