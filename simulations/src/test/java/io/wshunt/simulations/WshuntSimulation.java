package io.wshunt.simulations;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.http.HttpDsl.http;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.wshunt.contract.Profile;
import io.wshunt.preflight.Preflight;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

/**
 * What every wshunt simulation shares: settings printed and checked before any load, the server's
 * protocol profile, the open-files preflight, the server (started here unless {@code -Dtarget} names one), the assertions
 * from settings, and the end-to-end accounting printed and saved after the run.
 */
abstract class WshuntSimulation extends Simulation {
    protected final Settings settings = Settings.fromSystemProperties();
    protected final Counters counters = new Counters();
    protected final Profile profile = Profile.load(settings.profile());
    private final String name = getClass().getSimpleName();
    private final TargetServer server;
    private final ClusterView cluster;
    protected final ChatSteps steps;
    private Optional<JsonNode> statsBefore = Optional.empty();
    private Optional<Map<String, Long>> clusterBefore = Optional.empty();
    private ServerSampler sampler;

    protected WshuntSimulation() {
        System.out.print(settings.banner(name));
        Preflight.requireOneProcess(settings.users());
        server = TargetServer.resolve(settings, name, profile);
        cluster = new ClusterView(clusterStats(), settings.peersDir().isBlank() ? Optional.empty()
                : Optional.of(new Peers(Path.of(settings.peersDir()), settings.userIdOffset())), counters);
        steps = new ChatSteps(settings, profile, counters, cluster);
    }

    /** The servers whose connections users wait for: all of the run's (-DclusterStatsUrls), else the one driven here. */
    private List<URI> clusterStats() {
        if (!settings.clusterStatsUrls().isBlank()) {
            return Arrays.stream(settings.clusterStatsUrls().split(",")).map(String::trim).map(URI::create).toList();
        }
        if (profile.stats() != null) {
            // Another server's counters may lack what users wait on (deliveries settled): they wait on their own counts.
            return List.of();
        }
        return server.statsUri().map(List::of).orElse(List.of());
    }

    /**
     * Every simulation: its users ramped up at {@code connectRate} (or up the limit finder's connect
     * ladder), the settings' assertions on the latency it judges.
     */
    protected void rampUp(ScenarioBuilder scenario, String judgedLatency) {
        setUp(scenario.injectOpen(arrivals()))
                .protocols(protocol())
                .assertions(assertions(judgedLatency));
    }

    private OpenInjectionStep[] arrivals() {
        if (settings.connectSteps().isEmpty()) {
            return new OpenInjectionStep[] {rampUsers(settings.users()).during(settings.rampDuration())};
        }
        List<Integer> counts = settings.connectStepUsers();
        List<Duration> durations = settings.connectStepDurations();
        List<OpenInjectionStep> steps = new ArrayList<>();
        for (int k = 0; k < counts.size(); k++) {
            steps.add(rampUsers(counts.get(k)).during(durations.get(k)));
        }
        return steps.toArray(OpenInjectionStep[]::new);
    }

    /** Gatling's WebSocket protocol; unmatched messages are kept so that each user can count its broadcasts. */
    private HttpProtocolBuilder protocol() {
        // https://docs.gatling.io/reference/script/websocket/
        return http.wsBaseUrl(server.webSocketBase())
                .wsUnmatchedInboundMessageBufferSize((int) Math.min(1_000_000, settings.expectedDeliveriesPerUser() + 64));
    }

    /** Error percentage, the p99 of one request or check, and (when set) a minimum request rate. */
    private Assertion[] assertions(String latencyOf) {
        // https://docs.gatling.io/reference/script/core/assertions/
        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().percent().lte(settings.maxErrorPercent()));
        assertions.add(details(latencyOf).responseTime().percentile(99).lte(settings.maxP99Millis()));
        if (settings.minRequestsPerSecond() > 0) {
            assertions.add(global().requestsPerSec().gte(settings.minRequestsPerSecond()));
        }
        return assertions.toArray(Assertion[]::new);
    }

    @Override
    public void before() {
        statsBefore = server.fetchStats();
        clusterBefore = cluster.counters();
        ClockOffset offset = ClockOffset.against(clusterStats());
        System.out.println("wshunt " + name + ": " + offset.describe());
        counters.clockOffset(offset);
        sampler = new ServerSampler(server::fetchStats);
        cluster.start();
        counters.start();
    }

    @Override
    public void after() {
        try {
            sampler.close();
            cluster.close();
            Accounting accounting = new Accounting(name, settings, counters, statsBefore, server.fetchStats(), sampler)
                    .clusterCounters(clusterBefore, cluster.counters());
            System.out.print(accounting.table());
            Path saved = accounting.save();
            // One injector alone has the whole run's counts; the server's are on the page where it gives them, else "not counted".
            if (accounting.wholeRun()) {
                try {
                    System.out.println("Run page: " + MavenRunPage.update(name, settings, saved, accounting,
                            (System.nanoTime() - counters.startNanos()) / 1_000_000));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("could not write the run page", e);
                }
            }
            if (settings.failOnLoss() && accounting.wholeRun() && !accounting.endToEnd().lossCounted()) {
                throw new IllegalStateException(name + " cannot say what was lost: " + String.join("; ", accounting.endToEnd().notCounted()));
            }
            if (settings.failOnLoss() && (accounting.lost() > 0 || accounting.duplicated() > 0)) {
                throw new IllegalStateException(name + " lost " + accounting.lost() + " and duplicated " + accounting.duplicated()
                        + " messages end to end (see the table above)");
            }
        } finally {
            server.stop();
        }
    }
}
