package io.wshunt.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and the compose file, read as the typed objects a cluster would take
 * (fabric8's model), held to what the injector entry point reads: every variable it is given is
 * one it knows, there are as many injectors as the Job runs, and every target is a server that exists.
 */
class DeployManifestsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> INJECTOR_VARIABLES = List.of(InjectorMain.SIMULATION, InjectorMain.INDEX, InjectorMain.COUNT,
            InjectorMain.USERS, InjectorMain.TARGETS, InjectorMain.STATS, InjectorMain.SERVERS, InjectorMain.RESULTS, InjectorMain.START_LINE, InjectorMain.SETTINGS);

    @Test
    void theKubernetesManifestsRunAnIndexedJobOfInjectorsAgainstEveryServerOfTheStatefulSet() throws IOException {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        List<HasMetadata> resources = new ArrayList<>();
        for (JsonNode file : kustomization.path("resources")) {
            resources.addAll(read(K8S.resolve(file.asText())));
        }
        Map<String, String> run = new LinkedHashMap<>();
        for (JsonNode literal : kustomization.path("configMapGenerator").get(0).path("literals")) {
            String[] pair = literal.asText().split("=", 2);
            run.put(pair[0], pair[1]);
        }
        assertThat(INJECTOR_VARIABLES).as("every variable the injectors are given is one InjectorMain reads").containsAll(run.keySet());
        InjectorMain.Injection.of(Map.of(InjectorMain.JOB_INDEX, "0", InjectorMain.SIMULATION, run.get(InjectorMain.SIMULATION),
                InjectorMain.COUNT, run.get(InjectorMain.COUNT), InjectorMain.USERS, run.get(InjectorMain.USERS),
                InjectorMain.TARGETS, run.get(InjectorMain.TARGETS), InjectorMain.RESULTS, run.get(InjectorMain.RESULTS),
                InjectorMain.SETTINGS, run.get(InjectorMain.SETTINGS))); // throws on a setting the simulations do not know

        Job job = only(resources, Job.class);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        int injectors = Integer.parseInt(run.get(InjectorMain.COUNT));
        assertThat(job.getSpec().getCompletions()).isEqualTo(injectors);
        assertThat(job.getSpec().getParallelism()).isEqualTo(injectors);
        assertThat(job.getSpec().getBackoffLimit()).as("a retried injector would count its users twice").isZero();
        assertThat(job.getSpec().getSuspend()).as("started once the servers are ready").isTrue();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).as("bounded").isPositive();
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom().get(0).getConfigMapRef().getName())
                .isEqualTo(kustomization.path("configMapGenerator").get(0).path("name").asText());

        StatefulSet servers = only(resources, StatefulSet.class);
        Service headless = resources.stream().filter(Service.class::isInstance).map(Service.class::cast)
                .filter(service -> service.getMetadata().getName().equals(servers.getSpec().getServiceName())).findFirst().orElseThrow();
        assertThat(headless.getSpec().getClusterIP()).as("one DNS name per server").isEqualTo("None");
        List<String> serverNames = IntStream.range(0, servers.getSpec().getReplicas())
                .mapToObj(i -> servers.getMetadata().getName() + "-" + i + "." + headless.getMetadata().getName()).toList();
        assertThat(Arrays.stream(run.get(InjectorMain.TARGETS).split(",")).map(url -> url.replaceAll("^ws://|:\\d+$", "")).toList())
                .containsExactlyElementsOf(serverNames);
        assertThat(Arrays.stream(run.get(InjectorMain.STATS).split(",")).map(url -> url.replaceAll("^http://|:\\d+/stats$", "")).toList())
                .containsExactlyElementsOf(serverNames);
        assertThat(servers.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(env -> assertThat(env.getName() + "=" + env.getValue()).isEqualTo("WSHUNT_HOST=0.0.0.0"));

        for (PodSpec pod : List.of(job.getSpec().getTemplate().getSpec(), servers.getSpec().getTemplate().getSpec())) {
            assertThat(pod.getSecurityContext().getSysctls()).as("the port range, a safe sysctl")
                    .anySatisfy(sysctl -> assertThat(sysctl.getName()).isEqualTo("net.ipv4.ip_local_port_range"));
            for (Container container : pod.getContainers()) {
                assertThat(container.getResources().getRequests()).as(container.getName()).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as(container.getName()).containsKey("memory");
            }
        }
    }

    @Test
    void theComposeFileGivesEveryInjectorReplicaItsOwnIndexAndEveryServerReplicaThroughTheServiceName() throws IOException {
        JsonNode services = YAML.readTree(ROOT.resolve("deploy/compose.yaml").toFile()).path("services");
        JsonNode injector = services.path("injector");
        Map<String, String> env = new LinkedHashMap<>();
        injector.path("environment").fields().forEachRemaining(field -> env.put(field.getKey(), field.getValue().asText()));
        assertThat(INJECTOR_VARIABLES).containsAll(env.keySet());
        assertThat(env).containsEntry(InjectorMain.INDEX, InjectorMain.CLAIM);
        assertThat(env.get(InjectorMain.START_LINE)).as("in the volume the replicas share").startsWith(env.get(InjectorMain.RESULTS) + "/");
        assertThat(env.get(InjectorMain.COUNT)).isEqualTo(injector.path("deploy").path("replicas").asText());
        assertThat(env.get(InjectorMain.SERVERS)).isEqualTo(services.path("server").path("deploy").path("replicas").asText());
        assertThat(URI.create(env.get(InjectorMain.TARGETS)).getHost()).isEqualTo("server");
        assertThat(URI.create(env.get(InjectorMain.STATS)).getHost()).isEqualTo("server");
    }

    private static List<HasMetadata> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Object read = new KubernetesSerialization().unmarshal(in);
            if (read instanceof KubernetesList list) return list.getItems();
            if (read instanceof List<?> list) return list.stream().map(HasMetadata.class::cast).toList();
            return List.of((HasMetadata) read);
        }
    }

    private static <T> T only(List<HasMetadata> resources, Class<T> kind) {
        List<T> found = resources.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName()).hasSize(1);
        return found.get(0);
    }
}
