package io.mysqlresync.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.verify.CancelToken;
import io.mysqlresync.verify.RowKey;
import io.mysqlresync.verify.TableRef;
import io.mysqlresync.verify.VerifyOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The part ends of a chunk are numbered three ways: MariaDB's session counter in the index scan,
 * MySQL 8's ROW_NUMBER() over the chunk's keys, and older servers' every step-th key kept by the
 * bot. No MySQL server runs here, but MariaDB has window functions: the ROW_NUMBER() statement the
 * bot sends a MySQL 8 server runs on a real server here, and all three must cut the same ends as
 * every step-th key of a plain ordered read, for an integer key with gaps, a key of two columns
 * and a string key, from the start, between two keys and to the end.
 */
@ExtendWith(RealServers.class)
class PartEndNumberingTest {

    private static final long STEP = 37;
    private static final int COUNT = 20;

    @Test
    void theMySqlWindowAndOlderServersNumberingCutTheSameEndsAsMariaDbsCounter(LocalPair pair) throws Exception {
        pair.node1().execute("SET sql_log_bin = 0", "CREATE DATABASE IF NOT EXISTS numbering",
                "CREATE OR REPLACE TABLE numbering.gaps (id BIGINT PRIMARY KEY, v INT)",
                "INSERT INTO numbering.gaps SELECT seq * 3 + (seq % 7), seq FROM numbering.seq_1_to_3000",
                "CREATE OR REPLACE TABLE numbering.pairs (a INT NOT NULL, b INT NOT NULL, v INT, PRIMARY KEY (a, b))",
                "INSERT INTO numbering.pairs SELECT seq DIV 5, seq % 5, seq FROM numbering.seq_1_to_3000",
                "CREATE OR REPLACE TABLE numbering.names (email VARCHAR(64) NOT NULL, v INT, UNIQUE KEY email (email))",
                "INSERT INTO numbering.names SELECT CONCAT(IF(seq % 2 = 0, 'B', 'a'), seq, '@example.com'), seq"
                        + " FROM numbering.seq_1_to_3000");
        try (VerifySession s = new VerifySession("node1", pair.node1().connect(), Duration.ofSeconds(30), CancelToken.none())) {
            VerifyCatalog catalog = VerifyCatalog.read(s, VerifyOptions.SYSTEM_SCHEMAS);
            for (String name : List.of("gaps", "pairs", "names")) {
                CatalogTable t = catalog.tables.get(new TableRef("numbering", name));
                List<String> keyColumns = t.shape().keyColumns();
                String keys = String.join(", ", keyColumns.stream().map(ChunkChecksums::quote).toList());
                List<RowKey> all = s.query("SELECT " + keys + " FROM numbering." + name + " ORDER BY " + keys, "reading "
                        + name).stream().map(RowKey::new).toList();
                int[][] ranges = {{-1, -1}, {-1, 400}, {1000, 2999}, {2500, -1}}; // positions of after and upTo; -1 open
                for (int[] r : ranges) {
                    RowKey after = r[0] < 0 ? null : all.get(r[0]);
                    RowKey upTo = r[1] < 0 ? null : all.get(r[1]);
                    List<RowKey> in = all.subList(r[0] + 1, r[1] < 0 ? all.size() : r[1] + 1);
                    List<RowKey> expected = new ArrayList<>();
                    for (int k = 1; k <= COUNT && k * STEP <= in.size(); k++) {
                        expected.add(in.get((int) (k * STEP - 1)));
                    }
                    assertFalse(expected.isEmpty(), name + " " + Arrays.toString(r));
                    for (ChunkChecksums.Numbering n : ChunkChecksums.Numbering.values()) {
                        ChunkChecksums.Query q = ChunkChecksums.boundaries(t, after, upTo, STEP, COUNT, n);
                        List<RowKey> ends = s.query(q.sql(), q.params(), keyColumns.stream().map(t::type).toList(),
                                "numbering " + n, ChunkChecksums.keepEvery(n, STEP)).stream()
                                .map(RowKey::new).toList();
                        assertEquals(expected, ends, name + " " + n + " in " + Arrays.toString(r));
                    }
                }
            }
        } finally {
            pair.node1().execute("SET sql_log_bin = 0", "DROP DATABASE IF EXISTS numbering");
        }
    }
}
