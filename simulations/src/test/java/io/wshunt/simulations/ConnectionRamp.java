package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Ramps to {@code users} at {@code connectRate} users/s; each user checks its welcome, holds its
 * connection until every user is connected and {@code holdSeconds} more, then closes.
 * Try it: {@code mvn gatling:test -Dgatling.simulationClass=io.wshunt.simulations.ConnectionRamp -Dusers=2000}
 */
public class ConnectionRamp extends WshuntSimulation {
    {
        rampUp(scenario("ConnectionRamp").exec(steps.connect(), steps.awaitEveryoneConnected(), steps.hold(), steps.close()),
                steps.connectLatency());
    }
}
