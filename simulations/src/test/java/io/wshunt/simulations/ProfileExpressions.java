package io.wshunt.simulations;

import io.wshunt.contract.Profile;

/** A profile's message templates as Gatling expressions: wshunt's placeholders become session values. */
final class ProfileExpressions {
    /** What a benchmark message's id is, as a Gatling expression: the ack carries it back. */
    static final String MESSAGE_ID = "#{userId}-#{i}";
    /** What a chat message's tag is, as a Gatling expression: the sender knows its echo by it. */
    static final String TAG = "#{userId}-#{n}";

    private ProfileExpressions() {
    }

    /** One benchmark message, awaiting its ack when {@code acked}. */
    static String benchmark(Profile profile, boolean acked, String content) {
        profile.cannotSendBenchmarks(acked).ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        Profile.Benchmark benchmark = profile.benchmark();
        String template = acked || benchmark.fireMessage() == null ? benchmark.message() : benchmark.fireMessage();
        return expand(template, content);
    }

    /** One chat message. */
    static String chat(Profile profile) {
        if (profile.chat() == null) {
            throw new IllegalStateException("profile " + profile.name() + " has no chat message");
        }
        return expand(profile.chat().message(), "");
    }

    /** The join message. */
    static String join(Profile profile) {
        return expand(profile.join().message(), "");
    }

    private static String expand(String template, String content) {
        return template.replace("#{messageId}", MESSAGE_ID).replace("#{tag}", TAG).replace("#{content}", content)
                .replace("#{sentAt}", "#{currentTimeMillis()}");
    }
}
