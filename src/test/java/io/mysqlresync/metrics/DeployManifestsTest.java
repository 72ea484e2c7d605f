package io.mysqlresync.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mysqlresync.config.AppConfig;
import io.mysqlresync.config.ConfigLoader;
import io.mysqlresync.incident.ApprovalOutcome;
import io.mysqlresync.testsupport.StatusSamples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes against the code: the probes hit the endpoints the bot serves on the port it
 * listens on, the configuration the pods mount is valid, every secret comes from the Secret, and
 * every metric the alert rules and the dashboard query is one the bot exposes. (CI also runs
 * promtool on the rules and their unit tests.)
 */
class DeployManifestsTest {

    private static final Path DIR = Path.of("deploy/kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");
    private static final Pattern METRIC = Pattern.compile("\\b((?:mysql_resync|jvm|process)_[a-z_]+)\\b");

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(DIR.resolve(file).toFile());
    }

    private static JsonNode container() throws IOException {
        return yaml("deployment.yaml").at("/spec/template/spec/containers/0");
    }

    private static Map<String, JsonNode> env() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode e : container().path("env")) out.put(e.path("name").asText(), e);
        return out;
    }

    @Test
    void twoReplicasProbeTheBotsEndpointsOnItsPortWithABudgetKeepingOneUp() throws IOException {
        JsonNode deployment = yaml("deployment.yaml");
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        JsonNode c = container();
        assertEquals("/healthz", c.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/readyz", c.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/healthz", c.at("/startupProbe/httpGet/path").asText());
        // Readiness checks are bounded; the probe must wait longer than they may take.
        assertTrue(c.at("/readinessProbe/timeoutSeconds").asLong() > OpsEndpoints.CHECK_TIMEOUT.toSeconds());
        assertEquals("http", c.at("/ports/0/name").asText());
        int port = c.at("/ports/0/containerPort").asInt();
        assertEquals(String.valueOf(port), env().get("MYSQL_RESYNC_HTTP_PORT").path("value").asText());
        assertEquals(String.valueOf(port),
                deployment.at("/spec/template/metadata/annotations").path("prometheus.io/port").asText());

        JsonNode pdb = yaml("poddisruptionbudget.yaml");
        assertEquals(1, pdb.at("/spec/minAvailable").asInt());
        assertEquals(deployment.at("/spec/template/metadata/labels"), pdb.at("/spec/selector/matchLabels"));

        JsonNode resources = c.path("resources");
        assertFalse(resources.at("/requests/cpu").asText().isEmpty());
        assertTrue(mebibytes(resources.at("/requests/memory").asText()) >= 300,
                "1,000 nodes measured just under 300 MB RSS (BENCHMARKS.md)");
        assertTrue(mebibytes(resources.at("/limits/memory").asText())
                >= mebibytes(resources.at("/requests/memory").asText()));
    }

    private static long mebibytes(String quantity) {
        assertTrue(quantity.endsWith("Mi"), quantity);
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }

    @Test
    void theMountedConfigurationIsValidClusteredOnMysqlAndReachableByTheProbes() throws IOException {
        String config = yaml("configmap.yaml").at("/data").path("mysql-resync.yaml").asText();
        Map<String, JsonNode> env = env();
        Map<String, String> values = new HashMap<>();
        Matcher m = ENV_REF.matcher(config);
        List<String> unset = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !env.containsKey(name)) unset.add(name);
            if (env.containsKey(name)) {
                JsonNode e = env.get(name);
                values.put(name, e.has("value") ? e.path("value").asText() : switch (name) {
                    case "SLACK_BOT_TOKEN" -> "xoxb-from-secret";
                    case "SLACK_APP_TOKEN" -> "xapp-from-secret";
                    default -> "from-secret";
                });
            }
        }
        assertEquals(List.of(), unset, "referenced by the config, set nowhere in the Deployment");
        for (String secret : List.of("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "MYSQL_RESYNC_PASSWORD",
                "MYSQL_RESYNC_STATE_PASSWORD", "MYSQL_RESYNC_USER", "MYSQL_RESYNC_STATE_USER")) {
            assertEquals("mysql-resync", env.get(secret).at("/valueFrom/secretKeyRef/name").asText(),
                    secret + " comes from the Secret");
        }

        AppConfig c = new ConfigLoader(values::get).parse(config);
        assertTrue(c.state().clustered(), "two replicas need Quartz's clustered job store");
        assertTrue(c.state().jdbcUrl().startsWith("jdbc:mysql:"), c.state().jdbcUrl());
        assertEquals("0.0.0.0", c.http().bindAddress(), "the kubelet probes the pod's address, not its loopback");
        assertEquals(container().at("/ports/0/containerPort").asInt(), c.http().port());
        assertEquals("/config", container().at("/volumeMounts/0/mountPath").asText());
        assertEquals("/config/mysql-resync.yaml", env.get("MYSQL_RESYNC_CONFIG").path("value").asText());
    }

    @Test
    void theRulesCoverWhatAnSreIsPagedForAndEveryRuleIsComplete() throws IOException {
        Set<String> alerts = new TreeSet<>();
        for (JsonNode rule : yaml("prometheus/mysql-resync-rules.yaml").at("/groups/0/rules")) {
            String name = rule.path("alert").asText();
            alerts.add(name);
            assertFalse(rule.path("expr").asText().isBlank(), name);
            assertTrue(Set.of("critical", "warning").contains(rule.at("/labels/severity").asText()), name);
            assertFalse(rule.at("/annotations/summary").asText().isBlank(), name);
        }
        assertTrue(alerts.containsAll(Set.of("MySQLReplicationBroken", "MySQLReplicationLagHigh", "MySQLDriftFound",
                "MySQLResyncBotNotConnectedToSlack", "MySQLResyncSlackMessagesWaiting")), alerts.toString());
    }

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsOneTheBotExposes() throws IOException {
        String exposed;
        try (PrometheusMetrics metrics = new PrometheusMetrics(Clock.systemUTC())) {
            // Touch every meter once, so the scrape lists them all.
            StatusSamples.pair("lagging").nodes().forEach(n -> metrics.nodeRead("shop", n, Duration.ofMillis(5)));
            metrics.incidentOpen("shop", true);
            metrics.verified("shop", true, 0);
            for (ApprovalOutcome.Kind kind : ApprovalOutcome.Kind.values()) metrics.approval("shop", kind);
            metrics.sweep(Duration.ofMillis(100), true);
            metrics.slackAck(Duration.ofMillis(5));
            metrics.socketModeConnected(() -> true);
            metrics.slackOutbox(() -> 2, () -> 30.0);
            exposed = metrics.scrape();
        }
        Set<String> names = new TreeSet<>();
        exposed.lines().filter(l -> !l.startsWith("#"))
                .forEach(l -> names.add(l.replaceAll("[{ ].*", "")));
        Map<String, String> used = new HashMap<>();
        for (String file : List.of("prometheus/mysql-resync-rules.yaml", "grafana/mysql-resync-dashboard.json")) {
            Matcher m = METRIC.matcher(Files.readString(DIR.resolve(file)));
            while (m.find()) used.put(m.group(1), file);
        }
        assertTrue(used.size() > 10, used.toString());
        List<String> unknown = used.keySet().stream().filter(n -> !names.contains(n)).sorted()
                .map(n -> n + " (" + used.get(n) + ")").toList();
        assertEquals(List.of(), unknown, "queried but not exposed; exposed: " + names);
    }

    @Test
    void theImageChecksItsOwnHealthOnTheSamePort() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        Matcher hc = Pattern.compile("(?m)^HEALTHCHECK .*CMD (.*)$").matcher(dockerfile);
        assertTrue(hc.find(), "a HEALTHCHECK instruction");
        assertTrue(hc.group(1).contains("/healthz"), hc.group(1));
        assertTrue(hc.group(1).contains("MYSQL_RESYNC_HTTP_PORT:-9464"), hc.group(1));
        assertEquals(9464, AppConfigDefaults.httpPort());
        assertTrue(dockerfile.contains("USER 10001"), "numeric, so runAsNonRoot can check it");
        assertEquals(10001, yaml("deployment.yaml").at("/spec/template/spec/securityContext/runAsUser").asInt());
    }

    /** The default port, as the code has it. */
    private static final class AppConfigDefaults {
        static int httpPort() {
            return new AppConfig(null, null, null, null, List.of()).http().port();
        }
    }
}
