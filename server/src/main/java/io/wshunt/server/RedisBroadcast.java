package io.wshunt.server;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Broadcast across server processes through Redis pub/sub: a chat message is published once, and
 * every process (this one too) delivers what it receives to the users it holds. When Redis cannot
 * be reached, this process still delivers to its own users and counts the failure, and its
 * subscriber keeps reconnecting: a backplane going away never stops the server.
 */
final class RedisBroadcast implements Broadcast {
    static final String CHANNEL = "wshunt:broadcast";
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroadcast.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    private static final Duration SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);

    private final URI uri;
    private final ConnectedSessions sessions;
    private final ServerStats stats;
    private final JedisPooled publisher;
    private final Subscriber subscriber = new Subscriber();
    private final Thread subscriberThread;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean closed;

    RedisBroadcast(URI uri, ConnectedSessions sessions, ServerStats stats) {
        this.uri = uri;
        this.sessions = sessions;
        this.stats = stats;
        this.publisher = new JedisPooled(uri);
        this.subscriberThread = new Thread(this::subscribeUntilClosed, "redis-subscriber");
        subscriberThread.setDaemon(true);
    }

    /** Starts listening and waits until the subscription stands, so that no early broadcast is missed. */
    void start() {
        subscriberThread.start();
        try {
            if (!subscribed.await(SUBSCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Could not subscribe to Redis at " + uri + " within " + SUBSCRIBE_TIMEOUT
                        + ": is redis-server running there?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to Redis", e);
        }
    }

    @Override
    public void publish(String encodedMessage) {
        try {
            publisher.publish(CHANNEL, encodedMessage);
        } catch (JedisException e) {
            stats.backplaneErrors.increment();
            LOG.warn("Redis publish failed ({}); delivering to this process's users only", e.getMessage());
            sessions.deliverToAll(encodedMessage);
        }
    }

    private void subscribeUntilClosed() {
        while (!closed) {
            try (Jedis connection = new Jedis(uri)) {
                connection.subscribe(subscriber, CHANNEL);
            } catch (JedisException e) {
                if (!closed) {
                    stats.backplaneErrors.increment();
                    LOG.warn("Redis subscription to {} lost ({}); retrying in {}", uri, e.getMessage(), RECONNECT_DELAY);
                    sleep(RECONNECT_DELAY);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            if (subscriber.isSubscribed()) {
                subscriber.unsubscribe();
            }
        } catch (JedisException e) {
            // The connection is already gone, which is what closing wants.
        }
        publisher.close();
    }

    private final class Subscriber extends JedisPubSub {
        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
            sessions.deliverToAll(message);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
