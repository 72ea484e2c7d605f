package io.mysqlresync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.quartz.CronExpression;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration into {@link ConfigFile} (Jackson), substitutes ${ENV} and
 * ${ENV:-default}, applies the defaults and validates every key, collecting all problems (key
 * path and why) so one failed start shows everything to fix. The one place that knows both the
 * file's keys and what a valid value is.
 */
public final class ConfigLoader {

    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    /** Node and cluster names end up in messages and in SQL comments: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,252}");
    private static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern SLACK_GROUP = Pattern.compile("S[A-Z0-9]{2,}");
    private static final Pattern SLACK_CHANNEL = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    // ---- every default, in one place. A key left out of the file gets these values, so the
    // safety ones must be the safe choice: leaving a key out never loosens a control. ----------

    /** Safety: whoever asked for a plan may not approve it unless the file says otherwise. */
    static final boolean DEFAULT_TWO_PERSON_RULE = true;
    /** Safety: an unapproved plan goes stale; the servers may have moved on. */
    static final Duration DEFAULT_PLAN_EXPIRY = Duration.ofMinutes(15);
    /** Safety: no approvers listed and no group means nobody may approve (Slack mode refuses to start). */
    static final List<String> DEFAULT_APPROVERS = List.of();
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(200);
    static final Duration DEFAULT_LAG_THRESHOLD = Duration.ofSeconds(30);
    static final Duration DEFAULT_RECENT_RESTART = Duration.ofMinutes(15);
    static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(10);
    static final int DEFAULT_IN_SYNC_CHECKS = 3;
    static final Duration DEFAULT_STALLED_AFTER = Duration.ofMinutes(5);
    // Monitor jobs Quartz spreads over the replicas. 12 splits evenly over 1, 2, 3, 4 or 6
    // replicas and, at one trigger each, costs the job store 6 firings a second at a 2 s poll
    // (a trigger per cluster, 250 a second at 500 clusters, was the bot's main cost). Every
    // replica must be configured alike; a change moves most clusters to another shard, harmlessly.
    static final int DEFAULT_MONITOR_SHARDS = 12;
    static final int MAX_MONITOR_SHARDS = 256;
    /** Off: a second replica on a non-clustered store would run every job twice. */
    static final boolean DEFAULT_STATE_CLUSTERED = false;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    // A healthy status read takes milliseconds (p99 10 ms, BENCHMARKS.md): 2 s is ample, and
    // it is what bounds a hung node (the driver's socket timeout covers the handshake too).
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
    static final int DEFAULT_PORT = 3306;
    /** Prometheus' conventional port for an application's own exporter. */
    static final int DEFAULT_HTTP_PORT = 9464;
    /** Safety: loopback unless the file says otherwise; a container sets 0.0.0.0 for its probes. */
    static final String DEFAULT_HTTP_BIND = "127.0.0.1";

    /** JSON nodes for the YAML tree; binding fails on an unknown key, which checkShape has named and removed. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Function<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public static AppConfig load(Path file, Map<String, String> environment) {
        if (!Files.isReadable(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not readable");
        }
        try {
            return new ConfigLoader(environment::get).parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": " + e.getMessage());
        }
    }

    public AppConfig parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException("not valid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("the configuration must be a YAML mapping with at least 'clusters'");
        }
        checkShape((ObjectNode) root, ConfigFile.class, List.of());
        ConfigFile file;
        try {
            file = YAML.treeToValue(root, ConfigFile.class);
        } catch (IOException e) {
            // checkShape removed whatever does not fit the records, so this is a bug, not a typo.
            throw new ConfigException("configuration: " + firstLine(e.getMessage()));
        }
        reportShape(List.of(), "");
        SlackSettings slack = slack(orEmpty(file.slack(), ConfigFile.Slack.class));
        ApprovalSettings approvals = approvals(orEmpty(file.approvals(), ConfigFile.Approvals.class));
        MonitorSettings monitor = monitor(orEmpty(file.monitor(), ConfigFile.Monitor.class));
        StateSettings state = state(orEmpty(file.state(), ConfigFile.State.class));
        List<ClusterConfig> clusters = clusters(file.clusters());
        VerifySettings verify = verify(orEmpty(file.verify(), ConfigFile.Verify.class));
        HttpSettings http = http(orEmpty(file.http(), ConfigFile.Http.class));
        AuditSettings audit = audit(orEmpty(file.audit(), ConfigFile.Audit.class));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AppConfig(slack, approvals, monitor, state, clusters, verify, http, audit);
    }

    private SlackSettings slack(ConfigFile.Slack n) {
        reportShape(List.of("slack"), "slack");
        Secret bot = new Secret(text(n.botToken(), "slack.botToken", ""));
        Secret app = new Secret(text(n.appToken(), "slack.appToken", ""));
        if (!bot.isEmpty() && !bot.reveal().startsWith("xoxb-")) {
            problems.add("slack.botToken: a bot token starts with 'xoxb-' (value hidden)");
        }
        if (!app.isEmpty() && !app.reveal().startsWith("xapp-")) {
            problems.add("slack.appToken: an app-level token for Socket Mode starts with 'xapp-' (value hidden)");
        }
        String base = text(n.apiBaseUrl(), "slack.apiBaseUrl", SlackSettings.DEFAULT_API_BASE_URL);
        if (!base.matches("https?://[^\\s]+")) {
            problems.add("slack.apiBaseUrl: '" + base + "' is not an http(s) URL");
        } else if (!base.endsWith("/")) {
            base = base + "/";
        }
        String channel = text(n.incidentChannel(), "slack.incidentChannel", "");
        if (!channel.isEmpty() && !SLACK_CHANNEL.matcher(channel).matches()) {
            problems.add("slack.incidentChannel: '" + channel + "' is not a channel ID (like C0123ABCD); "
                    + "use the ID, not the #name, because names change");
        }
        List<String> allowed = stringList(n.allowedChannels(), "slack.allowedChannels", List.of());
        for (int i = 0; i < allowed.size(); i++) {
            if (!SLACK_CHANNEL.matcher(allowed.get(i)).matches()) {
                problems.add("slack.allowedChannels[" + i + "]: '" + allowed.get(i) + "' is not a channel ID");
            }
        }
        return new SlackSettings(bot, app, base, channel, allowed);
    }

    private ApprovalSettings approvals(ConfigFile.Approvals n) {
        reportShape(List.of("approvals"), "approvals");
        List<String> approvers = stringList(n.approvers(), "approvals.approvers", DEFAULT_APPROVERS);
        for (int i = 0; i < approvers.size(); i++) {
            if (!SLACK_USER.matcher(approvers.get(i)).matches()) {
                problems.add("approvals.approvers[" + i + "]: '" + approvers.get(i)
                        + "' is not a Slack user ID (like U0123ABCD)");
            }
        }
        String group = text(n.approverGroup(), "approvals.approverGroup", "");
        if (!group.isEmpty() && !SLACK_GROUP.matcher(group).matches()) {
            problems.add("approvals.approverGroup: '" + group + "' is not a user group ID (like S0123ABCD)");
        }
        boolean twoPerson = bool(n.twoPersonRule(), "approvals.twoPersonRule", DEFAULT_TWO_PERSON_RULE);
        Duration expiry = duration(n.planExpiry(), "approvals.planExpiry", DEFAULT_PLAN_EXPIRY);
        return new ApprovalSettings(approvers, group, twoPerson, expiry);
    }

    private MonitorSettings monitor(ConfigFile.Monitor n) {
        reportShape(List.of("monitor"), "monitor");
        Duration poll = duration(n.pollInterval(), "monitor.pollInterval", DEFAULT_POLL_INTERVAL);
        if (poll.compareTo(MIN_POLL_INTERVAL) < 0) {
            problems.add("monitor.pollInterval: " + poll.toMillis() + " ms is too short (minimum 200ms)");
        }
        Duration lag = duration(n.lagThreshold(), "monitor.lagThreshold", DEFAULT_LAG_THRESHOLD);
        Duration restart = duration(n.recentRestart(), "monitor.recentRestart", DEFAULT_RECENT_RESTART);
        Duration progress = duration(n.progressInterval(), "monitor.progressInterval", DEFAULT_PROGRESS_INTERVAL);
        int checks = integer(n.inSyncChecks(), "monitor.inSyncChecks", DEFAULT_IN_SYNC_CHECKS, 1, 100);
        Duration stalled = duration(n.stalledAfter(), "monitor.stalledAfter", DEFAULT_STALLED_AFTER);
        int shards = integer(n.shards(), "monitor.shards", DEFAULT_MONITOR_SHARDS, 1, MAX_MONITOR_SHARDS);
        return new MonitorSettings(poll, lag, restart, progress, checks, stalled, shards);
    }

    private VerifySettings verify(ConfigFile.Verify n) {
        reportShape(List.of("verify"), "verify");
        VerifySettings d = VerifySettings.defaults();
        return new VerifySettings(stringList(n.include(), "verify.include", d.include()),
                stringList(n.exclude(), "verify.exclude", d.exclude()),
                duration(n.chunkTime(), "verify.chunkTime", d.chunkTime()),
                duration(n.queryTimeout(), "verify.queryTimeout", d.queryTimeout()),
                duration(n.maxLag(), "verify.maxLag", d.maxLag()),
                integer(n.maxThreadsRunning(), "verify.maxThreadsRunning", d.maxThreadsRunning(), 1, 100_000),
                integer(n.repairMaxRows(), "verify.repairMaxRows", (int) d.repairMaxRows(), 1, 10_000_000));
    }

    private AuditSettings audit(ConfigFile.Audit n) {
        reportShape(List.of("audit"), "audit");
        String schedule = text(n.schedule(), "audit.schedule", AuditSettings.DEFAULT_SCHEDULE).trim();
        if (schedule.equalsIgnoreCase("false")) {
            schedule = "off"; // YAML 1.1 reads a bare off as false
        }
        if (!schedule.equalsIgnoreCase("off") && !CronExpression.isValidExpression(schedule)) {
            problems.add("audit.schedule: '" + schedule + "' is not a cron expression (seconds minutes hours"
                    + " day-of-month month day-of-week, e.g. '0 0 9 ? * MON') nor 'off'");
        }
        return new AuditSettings(schedule);
    }

    private StateSettings state(ConfigFile.State n) {
        reportShape(List.of("state"), "state");
        String url = text(n.jdbcUrl(), "state.jdbcUrl", StateSettings.DEFAULT_URL);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
            problems.add("state.jdbcUrl: '" + StateSettings.redact(url) + "' must be an H2 (jdbc:h2:) or MySQL/MariaDB (jdbc:mysql:) URL");
        }
        return new StateSettings(url, new Secret(text(n.user(), "state.user", "")),
                new Secret(text(n.password(), "state.password", "")),
                bool(n.clustered(), "state.clustered", DEFAULT_STATE_CLUSTERED));
    }

    private HttpSettings http(ConfigFile.Http n) {
        reportShape(List.of("http"), "http");
        String bind = text(n.bindAddress(), "http.bindAddress", DEFAULT_HTTP_BIND);
        if (!HOST.matcher(bind).matches()) {
            problems.add("http.bindAddress: '" + bind + "' is not an IP address or host name "
                    + "(127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
        }
        int port = integer(n.port(), "http.port", DEFAULT_HTTP_PORT, 0, 65535);
        return new HttpSettings(bind, port);
    }

    private List<ClusterConfig> clusters(List<ConfigFile.Cluster> n) {
        List<ClusterConfig> out = new ArrayList<>();
        if (n == null) {
            problems.add("clusters: missing; configure at least one cluster with its nodes");
            return out;
        }
        if (n.isEmpty()) {
            problems.add("clusters: must be a non-empty list of clusters");
            return out;
        }
        Set<String> names = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            ConfigFile.Cluster c = orEmpty(n.get(i), ConfigFile.Cluster.class);
            String at = "clusters[" + i + "]";
            String name = name(c.name(), at + ".name");
            if (name != null && !names.add(name)) {
                problems.add(at + ".name: '" + name + "' is used by another cluster");
            }
            String where = name == null ? at : "clusters[" + i + "] (" + name + ")";
            reportShape(List.of("clusters", i), where);
            Secret user = new Secret(text(c.user(), where + ".user", ""));
            if (user.isEmpty()) {
                problems.add(where + ".user: missing; the MySQL user the bot connects as, e.g. ${MYSQL_RESYNC_USER}");
            }
            Secret password = new Secret(text(c.password(), where + ".password", ""));
            Duration connect = duration(c.connectTimeout(), where + ".connectTimeout", DEFAULT_CONNECT_TIMEOUT);
            Duration read = duration(c.readTimeout(), where + ".readTimeout", DEFAULT_READ_TIMEOUT);
            List<NodeConfig> nodes = nodes(c.nodes(), where);
            for (NodeConfig node : nodes) {
                if (node.host() != null && !endpoints.add(node.host() + ":" + node.port())) {
                    problems.add(where + ".nodes (" + node.name() + "): " + node.host() + ":" + node.port()
                            + " is configured twice");
                }
            }
            out.add(new ClusterConfig(name, user, password, connect, read, nodes));
        }
        return out;
    }

    private List<NodeConfig> nodes(List<ConfigFile.Node> n, String where) {
        List<NodeConfig> out = new ArrayList<>();
        if (n == null || n.size() < 2) {
            problems.add(where + ".nodes: a cluster needs at least two nodes (an active-active pair)");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            ConfigFile.Node node = orEmpty(n.get(i), ConfigFile.Node.class);
            String at = where + ".nodes[" + i + "]";
            String name = name(node.name(), at + ".name");
            if (name != null && !names.add(name)) {
                problems.add(at + ".name: '" + name + "' is used twice in this cluster");
            }
            String host = text(node.host(), at + ".host", "");
            if (host.isEmpty()) {
                problems.add(at + ".host: missing");
            } else if (!HOST.matcher(host).matches()) {
                problems.add(at + ".host: '" + host + "' is not a host name or IP address");
            }
            int port = integer(node.port(), at + ".port", DEFAULT_PORT, 1, 65535);
            String source = text(node.source(), at + ".source", "");
            out.add(new NodeConfig(name, host, port, source.isEmpty() ? null : source));
        }
        for (int i = 0; i < out.size(); i++) {
            String source = out.get(i).source();
            if (source != null && !names.contains(source)) {
                problems.add(where + ".nodes[" + i + "].source: '" + source + "' is not a node of this cluster "
                        + "(nodes: " + String.join(", ", names) + ")");
            }
            if (source != null && source.equals(out.get(i).name())) {
                problems.add(where + ".nodes[" + i + "].source: a node cannot replicate from itself");
            }
        }
        if (out.size() > 2 && out.stream().anyMatch(x -> x.source() == null)) {
            problems.add(where + ".nodes: with more than two nodes every node needs 'source'");
        }
        return out;
    }

    // ---- the file against the records: unknown keys and misplaced lists or mappings ---------

    private enum Misfit { UNKNOWN_KEY, NOT_A_VALUE, NOT_A_MAPPING }

    /** Where in the file (keys and list indexes), what kind of misfit, and the message after the path. */
    private record Shape(List<Object> at, Misfit misfit, String why) {
    }

    private final List<Shape> shapes = new ArrayList<>();

    /**
     * Walks the tree along the records' components. What does not fit is noted with its path and
     * taken out (a list or mapping where a value belongs; a value where a mapping belongs becomes
     * an empty mapping, a value where a list belongs an empty list), so binding cannot fail and the
     * validator still reports what is missing.
     */
    private void checkShape(ObjectNode n, Class<?> record, List<Object> at) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : record.getRecordComponents()) {
            components.put(c.getName(), c);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Object> path = append(at, e.getKey());
            RecordComponent c = components.get(e.getKey());
            JsonNode v = e.getValue();
            if (c == null) {
                shapes.add(new Shape(path, Misfit.UNKNOWN_KEY,
                        "unknown key (allowed: " + String.join(", ", components.keySet()) + ")"));
                it.remove();
            } else if (v.isNull() || c.getType() == JsonNode.class) {
                continue;
            } else if (c.getType() == String.class && v.isContainerNode()) {
                shapes.add(new Shape(path, Misfit.NOT_A_VALUE,
                        "expected a single value, found a " + (v.isArray() ? "list" : "mapping")));
                it.remove();
            } else if (c.getType().isRecord()) {
                e.setValue(mapping(v, c.getType(), path));
            } else if (c.getType() == List.class) {
                if (!v.isArray()) {
                    e.setValue(YAML.createArrayNode());
                    continue;
                }
                Class<?> element = (Class<?>) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
                ArrayNode list = (ArrayNode) v;
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, mapping(list.get(i), element, append(path, i)));
                }
            }
        }
    }

    private ObjectNode mapping(JsonNode v, Class<?> record, List<Object> path) {
        if (v.isObject()) {
            checkShape((ObjectNode) v, record, path);
            return (ObjectNode) v;
        }
        shapes.add(new Shape(path, Misfit.NOT_A_MAPPING, "expected a mapping"));
        return YAML.createObjectNode();
    }

    /**
     * Reports the misfits found at or directly under {@code prefix}, naming its part of the path
     * {@code where} (e.g. "clusters[0] (shop)"). An unknown key of a cluster is named by index
     * only, as it always was; anything deeper carries the cluster's name.
     */
    private void reportShape(List<Object> prefix, String where) {
        for (Iterator<Shape> it = shapes.iterator(); it.hasNext(); ) {
            Shape s = it.next();
            boolean mine = s.at().size() > prefix.size() && s.at().subList(0, prefix.size()).equals(prefix)
                    && (!prefix.isEmpty() || s.at().size() == 1);
            if (!mine && !s.at().equals(prefix)) {
                continue;
            }
            boolean byIndex = prefix.size() == 2 && s.misfit() == Misfit.UNKNOWN_KEY && s.at().size() == 3;
            StringBuilder path = new StringBuilder(byIndex ? render(prefix) : where);
            for (Object segment : s.at().subList(prefix.size(), s.at().size())) {
                path.append(segment instanceof Integer i ? "[" + i + "]" : (path.isEmpty() ? "" : ".") + segment);
            }
            problems.add(path + ": " + s.why());
            it.remove();
        }
    }

    private static String render(List<Object> at) {
        StringBuilder sb = new StringBuilder();
        for (Object segment : at) {
            sb.append(segment instanceof Integer i ? "[" + i + "]" : (sb.isEmpty() ? "" : ".") + segment);
        }
        return sb.toString();
    }

    private static List<Object> append(List<Object> at, Object segment) {
        List<Object> out = new ArrayList<>(at);
        out.add(segment);
        return out;
    }

    /** A section or list entry left out (or not a mapping) reads as one with every key left out. */
    private static <T> T orEmpty(T value, Class<T> record) {
        if (value != null) return value;
        return YAML.convertValue(YAML.createObjectNode(), record);
    }

    // ---- scalar helpers: each reports problems with the key path --------------------------

    private String name(String raw, String path) {
        String v = text(raw, path, "");
        if (v.isEmpty()) {
            problems.add(path + ": missing");
            return null;
        }
        if (!NAME.matcher(v).matches()) {
            problems.add(path + ": '" + v + "' may only contain letters, digits, '.', '_' and '-'");
            return null;
        }
        return v;
    }

    /** The value with ${ENV} references resolved, trimmed; {@code dflt} when the key is left out. */
    private String text(String raw, String path, String dflt) {
        if (raw == null) return dflt;
        return substitute(raw, path).trim();
    }

    private String substitute(String raw, String path) {
        Matcher m = ENV_REF.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null || value.isEmpty()) {
                value = m.group(2) != null ? m.group(3) : null;
            }
            if (value == null) {
                problems.add(path + ": environment variable " + m.group(1) + " is not set");
                value = "";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private boolean bool(String raw, String path, boolean dflt) {
        String v = text(raw, path, Boolean.toString(dflt)).toLowerCase();
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problems.add(path + ": '" + v + "' is not true or false");
                yield dflt;
            }
        };
    }

    private int integer(String raw, String path, int dflt, int min, int max) {
        String v = text(raw, path, Integer.toString(dflt));
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                problems.add(path + ": " + i + " is out of range (" + min + ".." + max + ")");
                return dflt;
            }
            return i;
        } catch (NumberFormatException e) {
            problems.add(path + ": '" + v + "' is not a whole number");
            return dflt;
        }
    }

    private Duration duration(String raw, String path, Duration dflt) {
        String v = text(raw, path, "");
        if (v.isEmpty()) return dflt;
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            problems.add(path + ": '" + v + "' is not a duration; write e.g. 500ms, 5s, 15m or 1h");
            return dflt;
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    private List<String> stringList(JsonNode v, String path, List<String> dflt) {
        List<String> out = new ArrayList<>();
        if (v == null || v.isMissingNode() || v.isNull()) return List.copyOf(dflt);
        if (v.isValueNode()) {
            // "U1,U2" from one environment variable is handy in containers.
            for (String part : substitute(v.asText(), path).split(",")) {
                if (!part.isBlank()) out.add(part.trim());
            }
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            String s = substitute(v.get(i).asText(), path + "[" + i + "]").trim();
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
