package io.mysqlresync.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The YAML file as written, bound by Jackson: every key the file may hold, each value still
 * text with its ${ENV} references unresolved (null when left out). {@link ConfigLoader}
 * checks the file against these records, then validates the values into {@link AppConfig}.
 * A key that is not a component here is reported as unknown.
 */
record ConfigFile(Slack slack, Approvals approvals, Monitor monitor, State state, List<Cluster> clusters,
                  Verify verify, Http http, Audit audit) {

    /** {@code allowedChannels}: a list, or one comma-separated value (handy from one variable). */
    record Slack(String botToken, String appToken, String apiBaseUrl, String incidentChannel,
                 JsonNode allowedChannels) {
    }

    /** {@code approvers}: a list, or one comma-separated value. */
    record Approvals(JsonNode approvers, String approverGroup, String twoPersonRule, String planExpiry) {
    }

    record Monitor(String pollInterval, String lagThreshold, String recentRestart, String progressInterval,
                   String inSyncChecks, String stalledAfter, String shards) {
    }

    record State(String jdbcUrl, String user, String password, String clustered) {
    }

    record Cluster(String name, String user, String password, String connectTimeout, String readTimeout,
                   List<Node> nodes) {
    }

    record Node(String name, String host, String port, String source) {
    }

    /** {@code include}, {@code exclude}: lists, or one comma-separated value. */
    record Verify(JsonNode include, JsonNode exclude, String chunkTime, String queryTimeout, String maxLag,
                  String maxThreadsRunning, String repairMaxRows) {
    }

    record Http(String bindAddress, String port) {
    }

    /** {@code schedule}: a Quartz cron expression, or "off". */
    record Audit(String schedule) {
    }
}
