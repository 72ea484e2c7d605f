package io.mysqlresync.store;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.incident.PlanState;
import io.mysqlresync.incident.ProposedPlan;
import io.mysqlresync.recovery.Planner;
import io.mysqlresync.recovery.RecoveryPlan;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.replication.ThreadState;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A MariaDB pair after node1 crashed: node1 restarted with a torn relay log (error 1594), node2
 * replicates fine from node1 with some lag. The plan is made by the real diagnoser and planner.
 */
final class CrashedPair {

    /** Nanoseconds on purpose: the store must keep instants exactly. */
    static final Instant READ_AT = Instant.parse("2025-03-14T02:17:09.123456789Z");

    private CrashedPair() {
    }

    static ClusterStatus status(String cluster) {
        ServerVersion v = ServerVersion.parse("10.11.6-MariaDB-log", "MariaDB Server");
        ReplicaChannel node1Channel = new ReplicaChannel("", "10.0.0.12", 3306, "repl", 2,
                ThreadState.RUNNING, ThreadState.STOPPED,
                new BinlogCoordinates("mysql-bin.000253", 88_004_211),
                new BinlogCoordinates("mysql-bin.000253", 87_990_004),
                new BinlogCoordinates("relay-bin.000198", 41_002),
                ReplicationError.NONE,
                new ReplicationError(1594, "Relay log read failure: Could not parse relay log event entry. "
                        + "The possible reasons are: the master's binary log is corrupted", "250314 02:16:58"),
                OptionalLong.empty(), false, "No", "", 0, "", ReplicationError.NONE);
        ReplicaChannel node2Channel = new ReplicaChannel("", "10.0.0.11", 3306, "repl", 1,
                ThreadState.RUNNING, ThreadState.RUNNING,
                new BinlogCoordinates("mysql-bin.000107", 5_500_000),
                new BinlogCoordinates("mysql-bin.000107", 5_400_000),
                new BinlogCoordinates("relay-bin.000031", 1_200_000),
                ReplicationError.NONE, ReplicationError.NONE,
                OptionalLong.of(42), false, "No", "", 0, "Reading event from the relay log", ReplicationError.NONE);
        NodeStatus node1 = new NodeStatus("node1", READ_AT, null, v, 1, 95, false, true, "0-1-1200",
                List.of(new BinlogFile("mysql-bin.000106", 1_073_741_824L), new BinlogFile("mysql-bin.000107", 5_600_000)),
                new BinlogCoordinates("mysql-bin.000107", 5_600_000), List.of(node1Channel));
        NodeStatus node2 = new NodeStatus("node2", READ_AT.plusMillis(3), null, v, 2, 864_000, false, true, "0-2-900",
                List.of(new BinlogFile("mysql-bin.000253", 88_004_211)),
                new BinlogCoordinates("mysql-bin.000253", 88_004_211), List.of(node2Channel));
        return new ClusterStatus(cluster, List.of(node1, node2), Map.of("node1", "node2", "node2", "node1"));
    }

    static Diagnosis diagnosis(String cluster) {
        return new Diagnoser(Thresholds.DEFAULT).diagnose(status(cluster));
    }

    static RecoveryPlan plan(String cluster, String planId) {
        return new Planner().plan(diagnosis(cluster), planId, READ_AT.plusMillis(10));
    }

    static ProposedPlan proposed(String cluster, String planId) {
        RecoveryPlan plan = plan(cluster, planId);
        return new ProposedPlan(plan, "U0ALICE", plan.createdAt().plus(Duration.ofMinutes(15)), PlanState.PROPOSED,
                "", null, "C0INCIDENT", "");
    }
}
