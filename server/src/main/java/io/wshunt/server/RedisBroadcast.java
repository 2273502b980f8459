package io.wshunt.server;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
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
    /** Chat messages waiting to be published; past this, a message reaches this process's users only and is counted. */
    static final int PUBLISH_QUEUE = 10_000;

    private final URI uri;
    /** Where Redis is, as logs show it: without the password a URI may carry. */
    private final String where;
    private final ConnectedSessions sessions;
    private final ServerStats stats;
    private final JedisPooled publisher;
    /** One thread publishes, in order, so that a Jetty thread never waits on Redis. */
    private final ThreadPoolExecutor publishing = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(PUBLISH_QUEUE), runnable -> {
                Thread thread = new Thread(runnable, "redis-publisher");
                thread.setDaemon(true);
                return thread;
            });
    private final Subscriber subscriber = new Subscriber();
    private final Thread subscriberThread;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean closed;

    RedisBroadcast(URI uri, ConnectedSessions sessions, ServerStats stats) {
        this.uri = uri;
        this.where = uri.getHost() + ":" + uri.getPort();
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
                throw new IllegalStateException("Could not subscribe to Redis at " + where + " within " + SUBSCRIBE_TIMEOUT
                        + ": is redis-server running there?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while subscribing to Redis", e);
        }
    }

    /** Hands the message to the publishing thread and returns at once. */
    @Override
    public void publish(String encodedMessage) {
        try {
            publishing.execute(() -> publishNow(encodedMessage));
        } catch (RejectedExecutionException full) {
            fallBack(encodedMessage, "the publish queue is full (" + PUBLISH_QUEUE + " waiting)");
        }
    }

    private void publishNow(String encodedMessage) {
        try {
            publisher.publish(CHANNEL, encodedMessage);
        } catch (JedisException e) {
            fallBack(encodedMessage, "Redis publish failed (" + e.getMessage() + ")");
        }
    }

    /** This process's users still get the message; the other processes' do not, and the count says so. */
    private void fallBack(String encodedMessage, String why) {
        stats.backplaneErrors.increment();
        LOG.warn("{}; delivering to this process's users only", why);
        sessions.deliverToAll(encodedMessage);
    }

    private void subscribeUntilClosed() {
        while (!closed) {
            try (Jedis connection = new Jedis(uri)) {
                connection.subscribe(subscriber, CHANNEL);
            } catch (JedisException e) {
                if (!closed) {
                    stats.backplaneErrors.increment();
                    LOG.warn("Redis subscription to {} lost ({}); retrying in {}", where, e.getMessage(), RECONNECT_DELAY);
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
        publishing.shutdown();
        try {
            publishing.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
