package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Sustained benchmark traffic: with every user connected, {@code enduranceRate} messages/s in all
 * for {@code enduranceSeconds} (60 at full scale), paced per user, acked unless {@code -Dmode=fire}.
 */
public class Endurance extends WshuntSimulation {
    {
        rampUp(scenario("Endurance").exec(steps.connect(), steps.awaitEveryoneConnected(), steps.benchmarkSustained(), steps.close()),
                settings.acked() ? ChatSteps.ACK : "connect");
    }
}
