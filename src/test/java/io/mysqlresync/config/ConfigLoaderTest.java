package io.mysqlresync.config;

import io.mysqlresync.incident.ApprovalPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    private static final String MINIMAL = """
            clusters:
              - name: shop
                user: ${DB_USER}
                password: ${DB_PASSWORD}
                nodes:
                  - {name: node1, host: 10.0.0.1}
                  - {name: node2, host: 10.0.0.2, port: 3307}
            """;

    private static AppConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env::get).parse(yaml);
    }

    private static List<String> problems(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> parse(yaml, env)).problems();
    }

    @Test
    void environmentVariablesAreSubstitutedAndDefaultsApply() {
        AppConfig c = parse(MINIMAL, Map.of("DB_USER", "resync", "DB_PASSWORD", "s3cret"));
        ClusterConfig shop = c.cluster("shop").orElseThrow();
        assertEquals("resync", shop.user().reveal());
        assertEquals("s3cret", shop.password().reveal());
        assertEquals(3306, shop.node("node1").orElseThrow().port());
        assertEquals(3307, shop.node("node2").orElseThrow().port());
        assertEquals(Map.of("node1", "node2", "node2", "node1"), shop.sourceOf());
        assertEquals(Duration.ofSeconds(2), c.monitor().pollInterval());
        assertEquals(12, c.monitor().shards());
        assertEquals(SlackSettings.DEFAULT_API_BASE_URL, c.slack().apiBaseUrl());
        assertEquals(Duration.ofMinutes(15), c.approvals().planExpiry());
    }

    @Test
    void secretsNeverPrintTheirValue() {
        AppConfig c = parse(MINIMAL, Map.of("DB_USER", "resync", "DB_PASSWORD", "s3cret"));
        assertFalse(c.toString().contains("s3cret"), c.toString());
    }

    @Test
    void aMissingEnvironmentVariableNamesTheKeyAndTheVariable() {
        List<String> p = problems(MINIMAL, Map.of("DB_USER", "resync"));
        assertEquals(List.of("clusters[0] (shop).password: environment variable DB_PASSWORD is not set"), p);
    }

    @Test
    void everyBadKeyIsReportedAtOnceWithItsPath() {
        String yaml = """
                slack:
                  botToken: not-a-token
                  incidentChannel: "#incidents"
                  apiBaseUrl: slack.com
                monitor:
                  pollInterval: often
                  shards: 0
                approvals:
                  approvers: [alice]
                clusters:
                  - name: shop
                    user: u
                    nodes:
                      - {name: node1, host: 10.0.0.1, port: 70000}
                      - {name: node1, host: 10.0.0.2, source: node9}
                    colour: blue
                """;
        List<String> p = problems(yaml, Map.of());
        assertTrue(p.contains("slack.botToken: a bot token starts with 'xoxb-' (value hidden)"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("slack.incidentChannel: '#incidents' is not a channel ID")), p.toString());
        assertTrue(p.contains("slack.apiBaseUrl: 'slack.com' is not an http(s) URL"), p.toString());
        assertTrue(p.contains("monitor.pollInterval: 'often' is not a duration; write e.g. 500ms, 5s, 15m or 1h"), p.toString());
        assertTrue(p.contains("monitor.shards: 0 is out of range (1..256)"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("approvals.approvers[0]: 'alice' is not a Slack user ID")), p.toString());
        assertTrue(p.contains("clusters[0] (shop).nodes[0].port: 70000 is out of range (1..65535)"), p.toString());
        assertTrue(p.contains("clusters[0] (shop).nodes[1].name: 'node1' is used twice in this cluster"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("clusters[0] (shop).nodes[1].source: 'node9' is not a node")), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("clusters[0].colour: unknown key")), p.toString());
    }

    @Test
    void aClusterNeedsTwoNodes() {
        List<String> p = problems("""
                clusters:
                  - name: solo
                    user: u
                    nodes: [{name: only, host: h}]
                """, Map.of());
        assertEquals(List.of("clusters[0] (solo).nodes: a cluster needs at least two nodes (an active-active pair)"), p);
    }

    @Test
    void notYamlIsReportedAsSuch() {
        List<String> p = problems("clusters: [unclosed", Map.of());
        assertTrue(p.get(0).startsWith("not valid YAML"), p.toString());
    }

    // ---- safety defaults: leaving a key out of the file never loosens a control ----------

    @Test
    void withoutTwoPersonRuleInTheFileTheRequesterMayNotApprove() {
        AppConfig c = parse(MINIMAL + "approvals:\n  approvers: [U0123ABCD]\n", Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertTrue(c.approvals().twoPersonRule());
        assertTrue(parse(MINIMAL, Map.of("DB_USER", "u", "DB_PASSWORD", "p")).approvals().twoPersonRule());
    }

    @Test
    void theTwoPersonRuleIsOffOnlyWhenTheFileSaysSo() {
        AppConfig c = parse(MINIMAL + "approvals:\n  twoPersonRule: false\n", Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertFalse(c.approvals().twoPersonRule());
    }

    @Test
    void withoutPlanExpiryInTheFileAnUnapprovedPlanGoesStaleAfterFifteenMinutes() {
        AppConfig c = parse(MINIMAL, Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertEquals(Duration.ofMinutes(15), c.approvals().planExpiry());
    }

    @Test
    void withoutApproversInTheFileNobodyMayApprove() {
        AppConfig c = parse(MINIMAL, Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertEquals(List.of(), c.approvals().approvers());
        assertEquals("", c.approvals().approverGroup());
        ApprovalPolicy policy = new ApprovalPolicy(Set.copyOf(c.approvals().approvers()),
                !c.approvals().approverGroup().isEmpty(), c.approvals().twoPersonRule());
        assertFalse(policy.mayApprove("U0123ABCD", true), "an unconfigured approver list must not let anyone approve");
    }

    @Test
    void anUnknownKeyIsNamedWithWhatIsAllowed() {
        List<String> p = problems(MINIMAL + "approvals:\n  twoPersonRul: true\n", Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertEquals(List.of("approvals.twoPersonRul: unknown key (allowed: approvers, approverGroup, twoPersonRule, planExpiry)"), p);
    }

    @Test
    void misplacedListsAndMappingsAndUnknownKeysAreNamedWithTheirPath() {
        String yaml = """
                slack: C0123ABCD
                monitor:
                  pollInterval: [2s]
                colour: blue
                clusters:
                  - name: shop
                    user: {name: u}
                    nodes:
                      - {name: node1, host: 10.0.0.1, weight: 3}
                      - plain
                  - just-a-name
                """;
        List<String> p = problems(yaml, Map.of());
        assertTrue(p.contains("slack: expected a mapping"), p.toString());
        assertTrue(p.contains("monitor.pollInterval: expected a single value, found a list"), p.toString());
        assertTrue(p.contains("colour: unknown key (allowed: slack, approvals, monitor, state, clusters, verify, http,"
                + " audit)"), p.toString());
        assertTrue(p.contains("clusters[0] (shop).user: expected a single value, found a mapping"), p.toString());
        assertTrue(p.contains("clusters[0] (shop).nodes[0].weight: unknown key (allowed: name, host, port, source)"),
                p.toString());
        assertTrue(p.contains("clusters[0] (shop).nodes[1]: expected a mapping"), p.toString());
        assertTrue(p.contains("clusters[0] (shop).nodes[1].name: missing"), p.toString());
        assertTrue(p.contains("clusters[1]: expected a mapping"), p.toString());
        assertTrue(p.contains("clusters[1].name: missing"), p.toString());
    }

    @Test
    void clustersThatAreNotAListAreReportedAsSuch() {
        assertEquals(List.of("clusters: must be a non-empty list of clusters"), problems("clusters: shop", Map.of()));
        assertEquals(List.of("clusters: missing; configure at least one cluster with its nodes"),
                problems("clusters:", Map.of()));
    }

    @Test
    void approversFromOneVariableAreSplitAtCommas() {
        AppConfig c = parse(MINIMAL + "approvals:\n  approvers: ${APPROVERS}\n",
                Map.of("DB_USER", "u", "DB_PASSWORD", "p", "APPROVERS", "U0ALICE, U0BOB"));
        assertEquals(List.of("U0ALICE", "U0BOB"), c.approvals().approvers());
    }

    @Test
    void theShippedExampleConfigIsValidWithItsDefaults() {
        AppConfig c = ConfigLoader.load(Path.of("config/mysql-resync.yaml"), Map.of());
        assertEquals(List.of("shop"), c.clusterNames());
        assertTrue(c.approvals().twoPersonRule());
    }

    @Test
    void withoutAnHttpSectionTheEndpointsListenOnLoopbackPort9464() {
        AppConfig c = parse(MINIMAL, Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertEquals(new HttpSettings("127.0.0.1", 9464), c.http());
    }

    @Test
    void theHttpPortComesFromTheEnvironmentInTheShippedConfig() {
        AppConfig c = ConfigLoader.load(Path.of("config/mysql-resync.yaml"),
                Map.of("MYSQL_RESYNC_HTTP_PORT", "9100", "MYSQL_RESYNC_HTTP_BIND", "0.0.0.0"));
        assertEquals(new HttpSettings("0.0.0.0", 9100), c.http());
        assertEquals(new HttpSettings("127.0.0.1", 9464), ConfigLoader.load(Path.of("config/mysql-resync.yaml"),
                Map.of()).http());
    }

    @Test
    void badHttpSettingsAreReportedWithTheirKeys() {
        List<String> p = problems(MINIMAL + "http:\n  port: 99999\n  bindAddress: 'every where'\n  tls: on\n",
                Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertTrue(p.contains("http.port: 99999 is out of range (0..65535)"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("http.bindAddress: 'every where' is not an IP address")),
                p.toString());
        assertTrue(p.contains("http.tls: unknown key (allowed: bindAddress, port)"), p.toString());
    }

    @Test
    void aMalformedStateUrlIsReportedWithoutItsPassword() {
        List<String> p = problems(MINIMAL + "state:\n  jdbcUrl: 'jdbc:postgresql://bot:hunter2@db/state?password=hunter2'\n",
                Map.of("DB_USER", "u", "DB_PASSWORD", "p"));
        assertEquals(List.of("state.jdbcUrl: 'jdbc:postgresql://****@db/state?password=****' must be an H2 (jdbc:h2:) "
                + "or MySQL/MariaDB (jdbc:mysql:) URL"), p);
        assertFalse(p.toString().contains("hunter2"), p.toString());
    }
}
