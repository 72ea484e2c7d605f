package io.mysqlresync.mysql;

import io.mysqlresync.diagnosis.Diagnosis;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.ReplicationMode;
import io.mysqlresync.testsupport.PairReader;
import io.mysqlresync.testsupport.RealServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests of the JDBC side on the shared real pair, reset to file-and-position replication before
 * each test, read by the least-privilege bot user ({@link PairReader}).
 */
@ExtendWith(RealServers.class)
abstract class OnAResetPair {

    static final String CLUSTER = PairReader.CLUSTER;
    PairReader bot;
    NodeConnections connections;
    JdbcClusterReader reader;

    @BeforeEach
    void connect(LocalPair pair) throws Exception {
        pair.reset(ReplicationMode.FILE_POS);
        bot = PairReader.on(pair);
        connections = bot.connections();
        reader = bot.reader();
    }

    @AfterEach
    void close() {
        bot.close();
    }

    Diagnosis diagnose() {
        return bot.diagnose();
    }
}
