package io.mysqlresync.slack;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.ResyncService;
import io.mysqlresync.incident.ResyncStore;
import io.mysqlresync.recovery.PlanExecutor;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.StatementOutcome;
import io.mysqlresync.recovery.StatementRunner;
import io.mysqlresync.replication.ClusterReader;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static io.mysqlresync.testsupport.Statuses.binlog;
import static io.mysqlresync.testsupport.Statuses.node;
import static io.mysqlresync.testsupport.Statuses.row;

/** Servers as plain values for the Slack tests that need no real server: a scripted reader and runner. */
final class ResyncFixtures {

    private ResyncFixtures() {
    }

    /** Returns whatever status each cluster is set to now; optionally slow, like a server under load. */
    static final class ScriptedReader implements ClusterReader {
        private final Map<String, Supplier<ClusterStatus>> clusters = new ConcurrentHashMap<>();
        volatile Duration delay = Duration.ZERO;

        void set(String cluster, ClusterStatus status) {
            clusters.put(cluster, () -> status);
        }

        @Override
        public ClusterStatus read(String cluster) {
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return clusters.get(cluster).get();
        }
    }

    /** Records every statement "run"; each takes {@code millis}, so a second click can arrive mid-run. */
    static final class RecordingRunner implements StatementRunner {
        final List<String> ran = new CopyOnWriteArrayList<>();
        volatile long millis = 0;
        /** Called before each statement with how many ran before it: a test holds the plan there. */
        volatile java.util.function.IntConsumer before = n -> { };

        @Override
        public StatementOutcome run(String cluster, String node, String sql) {
            before.accept(ran.size());
            ran.add(cluster + "/" + node + ": " + sql);
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StatementOutcome(node, sql, true, 0, "", millis);
        }
    }

    static ResyncService service(List<String> clusters, ClusterReader reader, StatementRunner runner, ResyncStore store,
                                 Clock clock) {
        return new ResyncService(clusters, reader, new Diagnoser(Thresholds.DEFAULT), new Planner(),
                new PlanExecutor(reader, runner), store, BotHarness.policy(), BotHarness.PLAN_EXPIRY, clock);
    }

    /** A healthy pair: both threads running, nothing behind. */
    static ClusterStatus healthy(String cluster) {
        NodeStatus a = node("node1", "10.11.6-MariaDB", 90_000, running("node2", "mysql-bin.000007", 5120),
                binlog("mysql-bin.000007", 4096));
        NodeStatus b = node("node2", "10.11.6-MariaDB", 90_000, running("node1", "mysql-bin.000007", 4096),
                binlog("mysql-bin.000007", 5120));
        return new ClusterStatus(cluster, List.of(a, b), Map.of("node1", "node2", "node2", "node1"));
    }

    /** node2's threads stopped by an operator (STOP SLAVE), node1 healthy. */
    static ClusterStatus stoppedByOperator(String cluster) {
        NodeStatus a = node("node1", "10.11.6-MariaDB", 90_000, running("node2", "mysql-bin.000007", 5120),
                binlog("mysql-bin.000007", 4096));
        NodeStatus b = node("node2", "10.11.6-MariaDB", 90_000, row(
                        "Master_Host: node1", "Master_User: repl", "Master_Port: 3306",
                        "Master_Log_File: mysql-bin.000007", "Read_Master_Log_Pos: 4096",
                        "Relay_Log_File: relay-bin.000003", "Relay_Log_Pos: 800",
                        "Relay_Master_Log_File: mysql-bin.000007", "Exec_Master_Log_Pos: 4096",
                        "Slave_IO_Running: No", "Slave_SQL_Running: No", "Seconds_Behind_Master: NULL",
                        "Last_IO_Errno: 0", "Last_IO_Error: ", "Last_SQL_Errno: 0", "Last_SQL_Error: ",
                        "Master_Server_Id: 1"),
                binlog("mysql-bin.000007", 5120));
        return new ClusterStatus(cluster, List.of(a, b), Map.of("node1", "node2", "node2", "node1"));
    }

    private static Map<String, String> running(String source, String file, long pos) {
        return row("Master_Host: " + source, "Master_User: repl", "Master_Port: 3306",
                "Master_Log_File: " + file, "Read_Master_Log_Pos: " + pos,
                "Relay_Log_File: relay-bin.000003", "Relay_Log_Pos: 800",
                "Relay_Master_Log_File: " + file, "Exec_Master_Log_Pos: " + pos,
                "Slave_IO_Running: Yes", "Slave_SQL_Running: Yes", "Seconds_Behind_Master: 0",
                "Last_IO_Errno: 0", "Last_IO_Error: ", "Last_SQL_Errno: 0", "Last_SQL_Error: ",
                // the source's @@server_id: node1 is 1, node2 is 2 (a mismatch is a WRONG_SOURCE finding)
                "Master_Server_Id: " + source.replaceAll("\\D", ""));
    }
}
