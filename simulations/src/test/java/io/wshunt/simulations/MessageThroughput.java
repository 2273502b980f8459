package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;

/**
 * Once every user is connected, each sends {@code messagesPerUser} benchmark messages: with
 * {@code -Dmode=ack} (default) each waits for its ack (round-trip latency in the report), with
 * {@code -Dmode=fire} they go out as fast as the injector can send (raw rate, counted by the server).
 */
public class MessageThroughput extends WshuntSimulation {
    private final ScenarioBuilder throughput = scenario("MessageThroughput")
            .exec(steps.connect(), steps.awaitEveryoneConnected(), steps.benchmarkBurst(), steps.close());

    {
        setUp(throughput.injectOpen(rampUsers(settings.users()).during(settings.rampDuration())))
                .protocols(protocol())
                .assertions(assertions(settings.acked() ? ChatSteps.ACK : "connect"));
    }
}
