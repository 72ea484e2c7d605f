package io.mysqlresync.testsupport;

import io.mysqlresync.diagnosis.Diagnoser;
import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.diagnosis.Thresholds;
import io.mysqlresync.mysql.JdbcClusterReader;
import io.mysqlresync.mysql.NodeConnections;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.SandboxCluster;

import java.time.Clock;
import java.util.List;

/**
 * The bot's eyes on a real pair, for the tests of the JDBC side: its connections and reader as
 * the least-privilege bot user on the pair named {@value #CLUSTER}, and a diagnosis with a 5 s lag
 * threshold (a freshly reset sandbox is never that far behind).
 */
public final class PairReader implements AutoCloseable {

    public static final String CLUSTER = "sandbox";
    public static final Thresholds THRESHOLDS = new Thresholds(5, 900);

    private final NodeConnections connections;
    private final JdbcClusterReader reader;

    private PairReader(LocalPair pair) {
        connections = new NodeConnections(List.of(SandboxCluster.of(CLUSTER, pair)));
        reader = new JdbcClusterReader(connections, 4, Clock.systemUTC());
    }

    public static PairReader on(LocalPair pair) {
        return new PairReader(pair);
    }

    public NodeConnections connections() {
        return connections;
    }

    public JdbcClusterReader reader() {
        return reader;
    }

    /** Reads both nodes now and diagnoses them. */
    public Diagnosis diagnose() {
        return new Diagnoser(THRESHOLDS).diagnose(reader.read(CLUSTER));
    }

    @Override
    public void close() {
        reader.close();
        connections.close();
    }
}
