package io.mysqlresync.testsupport;

import io.mysqlresync.sandbox.Account;
import io.mysqlresync.testsupport.slack.ApiCall;
import io.mysqlresync.testsupport.slack.FakeSlack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What several real bot replicas did, read from outside them: their shard polls and recorded
 * alerts in the shared state database, the alerts the fake Slack got, their CPU and memory in
 * /proc. For the shard test and the shard benchmark.
 */
public final class ReplicaProbes {

    private ReplicaProbes() {
    }

    /** A shard's row in resync_shard_poll: the replica that polled it last, how often, when it last began. */
    public record ShardPoll(String instance, long polls, Instant start) {
    }

    /** Per shard, its last poll; empty while the state database is not migrated yet. */
    public static Map<Integer, ShardPoll> shardPolls(String url) {
        try (Connection c = DriverManager.getConnection(url, Account.ROOT.user(), Account.ROOT.password())) {
            return shardPolls(c);
        } catch (SQLException e) {
            return Map.of();
        }
    }

    public static Map<Integer, ShardPoll> shardPolls(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT shard, instance, polls, last_start FROM resync_shard_poll")) {
            Map<Integer, ShardPoll> out = new HashMap<>();
            while (rs.next()) {
                out.put(rs.getInt(1), new ShardPoll(rs.getString(2), rs.getLong(3), Instant.parse(rs.getString(4))));
            }
            return out;
        }
    }

    /** Open incidents whose alert is posted and recorded, none pending; 0 while any is pending. */
    public static int alertsRecorded(String url) {
        try (Connection c = DriverManager.getConnection(url, Account.ROOT.user(), Account.ROOT.password());
             Statement s = c.createStatement();
             ResultSet pending = s.executeQuery("SELECT COUNT(*) FROM resync_pending_alert")) {
            pending.next();
            if (pending.getInt(1) > 0) {
                return 0;
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM resync_incident WHERE state = 'OPEN' "
                    + "AND message_ts IS NOT NULL AND message_ts <> ''")) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            return 0;
        }
    }

    /** Incident alerts posted in {@code channel}, per cluster. */
    public static Map<String, Long> alerts(FakeSlack slack, String channel, List<String> clusters) {
        Map<String, Long> out = new TreeMap<>();
        for (ApiCall call : slack.calls("chat.postMessage")) {
            if (!channel.equals(call.param("channel"))) {
                continue;
            }
            String text = String.valueOf(call.param("text"));
            for (String c : clusters) {
                if (text.startsWith(c + ":") || text.startsWith(c + " ")) {
                    out.merge(c, 1L, Long::sum);
                }
            }
        }
        return out;
    }

    /** The alert redrawn as cleared: one update per all-clear. */
    public static long clears(FakeSlack slack, String cluster) {
        return slack.calls("chat.update").stream().map(c -> String.valueOf(c.param("text")))
                .filter(t -> t.startsWith("cleared: " + cluster + ":")).count();
    }

    /** utime + stime of a process in clock ticks (100 a second on Linux); 0 where /proc does not have it. */
    public static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident memory of a process in MB; NaN when it is gone. */
    public static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return Double.NaN;
    }
}
