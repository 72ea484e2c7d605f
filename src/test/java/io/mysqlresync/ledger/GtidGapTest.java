package io.mysqlresync.ledger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Positions in the servers' own notation: MariaDB's @@gtid_binlog_pos is a comma list of
 * domain-server_id-seq_no, the last GTID per domain (MariaDB KB, "GTID": gtid_binlog_pos);
 * MySQL's @@gtid_executed is uuid:interval[:interval] per source (MySQL manual 19.1.3.1, "GTID Format and Storage").
 */
class GtidGapTest {

    @Test
    void node2HoldsNode1sTransactionsPastNode1sLastOneInItsOwnDomain() {
        GtidGap gap = GtidGap.mariadb(1, 1, "1-1-500,2-2-310", "1-1-520,2-2-311");
        assertEquals(20, gap.count());
        assertEquals("GTIDs 1-1-501 to 1-1-520", gap.describe());
        assertTrue(gap.contains(501) && gap.contains(520) && !gap.contains(500) && !gap.contains(521));
    }

    @Test
    void aHolderBehindTheOriginIsReplicationDelayNotLoss() {
        assertTrue(GtidGap.mariadb(1, 1, "1-1-520,2-2-310", "1-1-500,2-2-311").isEmpty());
        assertTrue(GtidGap.mariadb(1, 1, "1-1-520", "1-1-520").isEmpty());
    }

    @Test
    void onlyTheOriginsOwnServerIdCountsInItsDomain() {
        // Domain 1's last GTID on the holder came from server 3, not from node1 (server 1).
        assertTrue(GtidGap.mariadb(1, 1, "1-1-500", "1-3-900").isEmpty());
    }

    @Test
    void anOriginThatNeverWroteLosesEverythingTheHolderHasOfIt() {
        assertEquals("GTIDs 1-1-1 to 1-1-7", GtidGap.mariadb(1, 1, "2-2-5", "1-1-7,2-2-5").describe());
    }

    @Test
    void mysqlIntervalsTheOriginLacksAreItsGap() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        GtidGap gap = GtidGap.mysql(uuid.toUpperCase(), uuid + ":1-100,\n4d2c7f0e-71ca-11e1-9e33-c80aa9429562:1-5",
                uuid + ":1-120:130-131,4d2c7f0e-71ca-11e1-9e33-c80aa9429562:1-9");
        assertEquals(22, gap.count());
        assertEquals(uuid + ":101", gap.gtid(101));
        assertTrue(gap.contains(120) && gap.contains(130) && !gap.contains(125));
    }
}
