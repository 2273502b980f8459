package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Once every user is connected, each (or each of {@code burstSenders}) sends {@code messagesPerUser} benchmark messages: with
 * {@code -Dmode=ack} (default) each waits for its ack (round-trip latency in the report), with
 * {@code -Dmode=fire} they go out as fast as the injector can send (raw rate, counted by the server).
 * Users close once every user's burst is done (of this injector, and at the servers when they are known).
 */
public class MessageThroughput extends WshuntSimulation {
    {
        rampUp(scenario("MessageThroughput").exec(steps.connect(), steps.awaitEveryoneConnected(), steps.benchmarkBurst(), steps.awaitEveryBurstDone(), steps.close()),
                settings.acked() ? ChatSteps.ACK : "connect");
    }
}
