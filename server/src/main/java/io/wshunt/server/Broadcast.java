package io.wshunt.server;

/** Carries a broadcast to every connected user, wherever that user's connection is held. */
public interface Broadcast extends AutoCloseable {
    void publish(String encodedMessage);

    @Override
    default void close() {
    }

    /** One process alone: every user is held here. */
    static Broadcast local(ConnectedSessions sessions) {
        return sessions::deliverToAll;
    }
}
