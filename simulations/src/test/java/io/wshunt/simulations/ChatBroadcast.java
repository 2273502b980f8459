package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Chat broadcast: once every user is connected, {@code chatSenders} users send
 * {@code chatMessagesPerSender} chat messages each and check their own echo; every user counts the
 * broadcasts it received, and the accounting sets them against messages x users expected.
 * Each message costs one delivery per connected user, so senders are few by default.
 */
public class ChatBroadcast extends WshuntSimulation {
    {
        // An injector whose share of the senders is none has no echo to judge: its users' welcome then.
        rampUp(scenario("ChatBroadcast").exec(steps.connect(), steps.awaitEveryoneConnected(), steps.chatRound(), steps.close()),
                settings.chatSenders() > 0 ? ChatSteps.ECHO : steps.connectLatency());
    }
}
