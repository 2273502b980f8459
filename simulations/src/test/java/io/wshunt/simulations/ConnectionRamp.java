package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;

/**
 * Ramps to {@code users} at {@code connectRate} users/s; each user checks its welcome, holds its
 * connection until every user is connected and {@code holdSeconds} more, then closes.
 * Try it: {@code mvn gatling:test -Dgatling.simulationClass=io.wshunt.simulations.ConnectionRamp -Dusers=2000}
 */
public class ConnectionRamp extends WshuntSimulation {
    private final ScenarioBuilder ramp = scenario("ConnectionRamp")
            .exec(steps.connect(), steps.awaitEveryoneConnected(), steps.hold(), steps.close());

    {
        setUp(ramp.injectOpen(rampUsers(settings.users()).during(settings.rampDuration())))
                .protocols(protocol())
                .assertions(assertions(ChatSteps.WELCOME));
    }
}
