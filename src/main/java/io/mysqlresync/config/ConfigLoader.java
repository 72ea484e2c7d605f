package io.mysqlresync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration, substitutes ${ENV} and ${ENV:-default}, and validates every key,
 * collecting all problems (key path and why) so one failed start shows everything to fix.
 * Bound by hand rather than by data binding because the error messages are the feature.
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
    /** Off: a second replica on a non-clustered store would run every job twice. */
    static final boolean DEFAULT_STATE_CLUSTERED = false;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    // A healthy status read takes milliseconds (p99 10 ms, BENCHMARKS.md): 2 s is ample, and
    // it is what bounds a hung node (the driver's socket timeout covers the handshake too).
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(2);
    static final int DEFAULT_PORT = 3306;

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
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        } catch (IOException e) {
            throw new ConfigException("not valid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("the configuration must be a YAML mapping with at least 'clusters'");
        }
        allowOnly(root, "", "slack", "approvals", "monitor", "state", "clusters");
        SlackSettings slack = slack(root.path("slack"));
        ApprovalSettings approvals = approvals(root.path("approvals"));
        MonitorSettings monitor = monitor(root.path("monitor"));
        StateSettings state = state(root.path("state"));
        List<ClusterConfig> clusters = clusters(root.path("clusters"));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new AppConfig(slack, approvals, monitor, state, clusters);
    }

    private SlackSettings slack(JsonNode n) {
        allowOnly(n, "slack", "botToken", "appToken", "apiBaseUrl", "incidentChannel", "allowedChannels");
        Secret bot = new Secret(text(n, "slack.botToken", "botToken", ""));
        Secret app = new Secret(text(n, "slack.appToken", "appToken", ""));
        if (!bot.isEmpty() && !bot.reveal().startsWith("xoxb-")) {
            problems.add("slack.botToken: a bot token starts with 'xoxb-' (value hidden)");
        }
        if (!app.isEmpty() && !app.reveal().startsWith("xapp-")) {
            problems.add("slack.appToken: an app-level token for Socket Mode starts with 'xapp-' (value hidden)");
        }
        String base = text(n, "slack.apiBaseUrl", "apiBaseUrl", SlackSettings.DEFAULT_API_BASE_URL);
        if (!base.matches("https?://[^\\s]+")) {
            problems.add("slack.apiBaseUrl: '" + base + "' is not an http(s) URL");
        } else if (!base.endsWith("/")) {
            base = base + "/";
        }
        String channel = text(n, "slack.incidentChannel", "incidentChannel", "");
        if (!channel.isEmpty() && !SLACK_CHANNEL.matcher(channel).matches()) {
            problems.add("slack.incidentChannel: '" + channel + "' is not a channel ID (like C0123ABCD); "
                    + "use the ID, not the #name, because names change");
        }
        List<String> allowed = stringList(n, "slack.allowedChannels", "allowedChannels", List.of());
        for (int i = 0; i < allowed.size(); i++) {
            if (!SLACK_CHANNEL.matcher(allowed.get(i)).matches()) {
                problems.add("slack.allowedChannels[" + i + "]: '" + allowed.get(i) + "' is not a channel ID");
            }
        }
        return new SlackSettings(bot, app, base, channel, allowed);
    }

    private ApprovalSettings approvals(JsonNode n) {
        allowOnly(n, "approvals", "approvers", "approverGroup", "twoPersonRule", "planExpiry");
        List<String> approvers = stringList(n, "approvals.approvers", "approvers", DEFAULT_APPROVERS);
        for (int i = 0; i < approvers.size(); i++) {
            if (!SLACK_USER.matcher(approvers.get(i)).matches()) {
                problems.add("approvals.approvers[" + i + "]: '" + approvers.get(i)
                        + "' is not a Slack user ID (like U0123ABCD)");
            }
        }
        String group = text(n, "approvals.approverGroup", "approverGroup", "");
        if (!group.isEmpty() && !SLACK_GROUP.matcher(group).matches()) {
            problems.add("approvals.approverGroup: '" + group + "' is not a user group ID (like S0123ABCD)");
        }
        boolean twoPerson = bool(n, "approvals.twoPersonRule", "twoPersonRule", DEFAULT_TWO_PERSON_RULE);
        Duration expiry = duration(n, "approvals.planExpiry", "planExpiry", DEFAULT_PLAN_EXPIRY);
        return new ApprovalSettings(approvers, group, twoPerson, expiry);
    }

    private MonitorSettings monitor(JsonNode n) {
        allowOnly(n, "monitor", "pollInterval", "lagThreshold", "recentRestart", "progressInterval",
                "inSyncChecks", "stalledAfter");
        Duration poll = duration(n, "monitor.pollInterval", "pollInterval", DEFAULT_POLL_INTERVAL);
        if (poll.compareTo(MIN_POLL_INTERVAL) < 0) {
            problems.add("monitor.pollInterval: " + poll.toMillis() + " ms is too short (minimum 200ms)");
        }
        Duration lag = duration(n, "monitor.lagThreshold", "lagThreshold", DEFAULT_LAG_THRESHOLD);
        Duration restart = duration(n, "monitor.recentRestart", "recentRestart", DEFAULT_RECENT_RESTART);
        Duration progress = duration(n, "monitor.progressInterval", "progressInterval", DEFAULT_PROGRESS_INTERVAL);
        int checks = integer(n, "monitor.inSyncChecks", "inSyncChecks", DEFAULT_IN_SYNC_CHECKS, 1, 100);
        Duration stalled = duration(n, "monitor.stalledAfter", "stalledAfter", DEFAULT_STALLED_AFTER);
        return new MonitorSettings(poll, lag, restart, progress, checks, stalled);
    }

    private StateSettings state(JsonNode n) {
        allowOnly(n, "state", "jdbcUrl", "user", "password", "clustered");
        String url = text(n, "state.jdbcUrl", "jdbcUrl", StateSettings.DEFAULT_URL);
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:mysql:") && !url.startsWith("jdbc:mariadb:")) {
            problems.add("state.jdbcUrl: '" + url + "' must be an H2 (jdbc:h2:) or MySQL/MariaDB (jdbc:mysql:) URL");
        }
        return new StateSettings(url, new Secret(text(n, "state.user", "user", "")),
                new Secret(text(n, "state.password", "password", "")), bool(n, "state.clustered", "clustered", DEFAULT_STATE_CLUSTERED));
    }

    private List<ClusterConfig> clusters(JsonNode n) {
        List<ClusterConfig> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            problems.add("clusters: missing; configure at least one cluster with its nodes");
            return out;
        }
        if (!n.isArray() || n.isEmpty()) {
            problems.add("clusters: must be a non-empty list of clusters");
            return out;
        }
        Set<String> names = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode c = n.get(i);
            String at = "clusters[" + i + "]";
            allowOnly(c, at, "name", "user", "password", "connectTimeout", "readTimeout", "nodes");
            String name = name(c, at + ".name");
            if (name != null && !names.add(name)) {
                problems.add(at + ".name: '" + name + "' is used by another cluster");
            }
            String where = name == null ? at : "clusters[" + i + "] (" + name + ")";
            Secret user = new Secret(text(c, where + ".user", "user", ""));
            if (user.isEmpty()) {
                problems.add(where + ".user: missing; the MySQL user the bot connects as, e.g. ${MYSQL_RESYNC_USER}");
            }
            Secret password = new Secret(text(c, where + ".password", "password", ""));
            Duration connect = duration(c, where + ".connectTimeout", "connectTimeout", DEFAULT_CONNECT_TIMEOUT);
            Duration read = duration(c, where + ".readTimeout", "readTimeout", DEFAULT_READ_TIMEOUT);
            List<NodeConfig> nodes = nodes(c.path("nodes"), where);
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

    private List<NodeConfig> nodes(JsonNode n, String where) {
        List<NodeConfig> out = new ArrayList<>();
        if (!n.isArray() || n.size() < 2) {
            problems.add(where + ".nodes: a cluster needs at least two nodes (an active-active pair)");
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode node = n.get(i);
            String at = where + ".nodes[" + i + "]";
            allowOnly(node, at, "name", "host", "port", "source");
            String name = name(node, at + ".name");
            if (name != null && !names.add(name)) {
                problems.add(at + ".name: '" + name + "' is used twice in this cluster");
            }
            String host = text(node, at + ".host", "host", "");
            if (host.isEmpty()) {
                problems.add(at + ".host: missing");
            } else if (!HOST.matcher(host).matches()) {
                problems.add(at + ".host: '" + host + "' is not a host name or IP address");
            }
            int port = integer(node, at + ".port", "port", DEFAULT_PORT, 1, 65535);
            String source = text(node, at + ".source", "source", "");
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

    // ---- scalar helpers: each reports problems with the key path --------------------------

    private String name(JsonNode parent, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        String v = text(parent, path, key, "");
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

    private String text(JsonNode parent, String path, String key, String dflt) {
        JsonNode v = parent.path(key);
        if (v.isMissingNode() || v.isNull()) return dflt;
        if (!v.isValueNode()) {
            problems.add(path + ": expected a single value, found a " + (v.isArray() ? "list" : "mapping"));
            return dflt;
        }
        return substitute(v.asText(), path).trim();
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

    private boolean bool(JsonNode parent, String path, String key, boolean dflt) {
        String v = text(parent, path, key, Boolean.toString(dflt)).toLowerCase();
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problems.add(path + ": '" + v + "' is not true or false");
                yield dflt;
            }
        };
    }

    private int integer(JsonNode parent, String path, String key, int dflt, int min, int max) {
        String v = text(parent, path, key, Integer.toString(dflt));
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

    private Duration duration(JsonNode parent, String path, String key, Duration dflt) {
        String v = text(parent, path, key, "");
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

    private List<String> stringList(JsonNode parent, String path, String key, List<String> dflt) {
        JsonNode v = parent.path(key);
        List<String> out = new ArrayList<>();
        if (v.isMissingNode() || v.isNull()) return List.copyOf(dflt);
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

    private void allowOnly(JsonNode n, String path, String... keys) {
        if (n.isMissingNode() || n.isNull()) return;
        if (!n.isObject()) {
            problems.add((path.isEmpty() ? "top level" : path) + ": expected a mapping");
            return;
        }
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                problems.add((path.isEmpty() ? "" : path + ".") + k + ": unknown key (allowed: "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
