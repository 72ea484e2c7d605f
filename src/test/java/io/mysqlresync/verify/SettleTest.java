package io.mysqlresync.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settle logic on plain values: writes in flight are not drift, drift is, moving rows are unknown. */
class SettleTest {

    private final VerifyOptions options = VerifyOptions.defaults().withChunkTime(Duration.ofMillis(500), 1000);

    private VerificationResult verify(FakePair pair, TableShape table) {
        return verify(pair, table, Map.of(), false, CancelToken.none(), options);
    }

    private VerificationResult verify(FakePair pair, TableShape table, Map<TableRef, List<RowKey>> keysFirst,
                                      boolean keysOnly, CancelToken cancel, VerifyOptions opts) {
        return new Verification(pair, opts, () -> pair.nanos).run("shop", Instant.EPOCH, List.of(table), List.of(),
                keysFirst, keysOnly, List.of(), ProgressListener.NONE, cancel);
    }

    private static List<String> keys(VerificationResult r) {
        return r.differences().stream().map(d -> d.key().toString()).sorted().toList();
    }

    @Test
    void writesInFlightOnBothMastersAreNotDrift() {
        FakePair pair = new FakePair().withRows(5000);
        pair.write("node1", 5001, "inserted on node1");
        pair.write("node2", 5002, "inserted on node2");
        pair.write("node1", 17, "updated on node1");
        pair.write("node2", 2500, null);
        VerificationResult r = verify(pair, FakePair.ITEMS);
        assertEquals(TableVerdict.IDENTICAL, r.verdict(), r.tables().get(0).summary());
        assertTrue(pair.catchUps > 0, "the differing chunks were re-checked after a catch-up");
    }

    @Test
    void givenRowsUpdatedDeletedAndInsertedOnNode2WithoutBinlog_exactlyThoseKeysDiffer() {
        FakePair pair = new FakePair().withRows(20_000);
        pair.plant("node2", 42, "changed behind replication's back");
        pair.plant("node2", 9000, null);
        pair.plant("node2", 25_000, "only on node2, past node1's last row");
        pair.write("node1", 100, "in flight"); // noise that must not be reported
        pair.write("node2", 19_999, null);

        VerificationResult r = verify(pair, FakePair.ITEMS);

        assertEquals(TableVerdict.DIFFERS, r.verdict());
        assertEquals(List.of("25000", "42", "9000"), keys(r));
        RowDifference updated = r.differences().stream().filter(d -> d.key().equals(RowKey.of("42"))).findFirst().orElseThrow();
        assertEquals(List.of("42", "v42"), updated.valuesByNode().get("node1"));
        assertEquals(List.of("42", "changed behind replication's back"), updated.valuesByNode().get("node2"));
        RowDifference deleted = r.differences().stream().filter(d -> d.key().equals(RowKey.of("9000"))).findFirst().orElseThrow();
        assertEquals(List.of("node2"), deleted.absentOn());
        assertEquals("shop.items id=9000: node1 has it, node2 does not", deleted.describe());
        assertTrue(r.tables().get(0).chunks() > 1, "more than one chunk: " + r.tables().get(0).chunks());
    }

    @Test
    void writesInFlightInSeveralChunks_areSettledByOneCatchUp_unlessTheyWaitedLongerThanASecond() {
        // Three chunks, each with a write in flight when read (written after the chunk before).
        List<String> quick = checksumsAndCatchUps(0);
        assertEquals(1, quick.stream().filter("catch-up"::equals).count(), "one catch-up settles them all: " + quick);
        assertEquals("catch-up", quick.get(quick.size() - 1), "after the table's last chunk: " + quick);
        // Each chunk takes 2 s: the first chunk's difference is settled after the second chunk,
        // not held to the table's end.
        List<String> slow = checksumsAndCatchUps(2_000_000_000L);
        assertEquals(List.of("checksum chunk 0", "checksum chunk 1", "catch-up"), slow.subList(0, 3), slow.toString());
    }

    private List<String> checksumsAndCatchUps(long nanosEachChunk) {
        FakePair pair = new FakePair().withRows(20_000);
        pair.write("node1", 500, "in flight");
        java.util.Iterator<Long> next = List.of(3000L, 15_000L).iterator();
        pair.afterEachChecksum.add(() -> {
            pair.nanos += nanosEachChunk;
            if (next.hasNext()) {
                pair.write("node1", next.next(), "in flight");
            }
        });
        VerificationResult r = verify(pair, FakePair.ITEMS);
        assertEquals(TableVerdict.IDENTICAL, r.verdict(), r.tables().get(0).summary());
        assertTrue(r.tables().get(0).chunks() >= 3, r.tables().get(0).summary());
        return pair.calls.stream().filter(c -> c.startsWith("checksum") || c.equals("catch-up")).toList();
    }

    @Test
    void givenAFailureHalfWay_theDriftOfTheChunksReadBeforeIsStillNamed() {
        FakePair pair = new FakePair().withRows(20_000);
        pair.plant("node2", 10, "planted in the first chunk");
        int[] checksums = {0};
        pair.afterEachChecksum.add(() -> {
            if (++checksums[0] == 2) {
                throw new VerifyException(InconclusiveReason.ERROR, "node2: connection lost");
            }
        });

        VerificationResult r = verify(pair, FakePair.ITEMS);

        assertEquals(InconclusiveReason.ERROR, r.tables().get(0).reason());
        // The first chunk's difference was waiting to be settled with the next ones when the second failed.
        assertEquals(List.of("10"), keys(r), r.tables().get(0).summary());
    }

    @Test
    void givenAChunkByValueThatOutrunsTheQueryTimeout_theKeyScanCutsTheRestAndTheTableIsDone() {
        FakePair pair = new FakePair().withRows(20_000);
        pair.byValue = true;
        pair.plant("node2", 15_000, "planted");
        pair.valueChunkTimesOut = c -> c.index() == 2;

        VerificationResult r = verify(pair, FakePair.ITEMS);

        assertEquals(TableVerdict.DIFFERS, r.verdict(), r.tables().get(0).summary());
        assertEquals(List.of("15000"), keys(r));
        int timedOut = pair.calls.indexOf("by value chunk 2");
        assertTrue(pair.calls.subList(timedOut, pair.calls.size()).stream().anyMatch(c -> c.startsWith("boundaries")),
                pair.calls.toString());
        assertTrue(r.tables().get(0).notes().stream().anyMatch(n -> n.contains("outran the query timeout")),
                r.tables().get(0).notes().toString());
    }

    @Test
    void givenSparseIntegerKeys_chunksAreCutByValueWithoutAKeyScanAndExactlyThePlantedRowsDiffer() {
        FakePair pair = new FakePair();
        pair.byValue = true;
        for (long id = 1000; id <= 20_000_000; id += 1000) { // 20,000 rows, one per thousand values
            for (String n : pair.nodes()) {
                pair.data.get(n).put(id, "v" + id);
            }
        }
        pair.plant("node2", 7_000_000, "changed behind replication's back");
        pair.plant("node2", 12_000_000, null);
        pair.plant("node2", 12_000_001, "only on node2, between node1's rows");
        pair.plant("node2", 25_000_000, "only on node2, past node1's last row");
        pair.plant("node2", -5, "only on node2, below node1's first row");
        pair.write("node1", 3_000_000, "in flight");
        pair.write("node2", 20_000_000, null);

        VerificationResult r = verify(pair, FakePair.ITEMS);

        assertEquals(List.of("-5", "12000000", "12000001", "25000000", "7000000"), keys(r), r.tables().get(0).summary());
        assertTrue(pair.calls.stream().noneMatch(c -> c.startsWith("boundaries") || c.startsWith("ahead")),
                "no key scan before a chunk: " + pair.calls.stream().limit(5).toList());
        // Sized in values from the rows per value seen: about 1000-row chunks (the sizer's start), not 1-row ones.
        int chunks = r.tables().get(0).chunks();
        assertTrue(chunks < 60, chunks + " chunks for 20,000 rows: " + pair.valueChunkRows);
    }

    @Test
    void givenAGapInTheKeys_itIsCrossedInAFewChunksAndTheRowsPastItAreNotSwallowedInOne() {
        FakePair pair = new FakePair();
        pair.byValue = true;
        long far = 1_000_000_000_000L;
        for (long id = 1; id <= 5000; id++) {
            for (String n : pair.nodes()) {
                pair.data.get(n).put(id, "v" + id);
            }
        }
        for (long id = 1; id <= 50_000; id++) {
            for (String n : pair.nodes()) {
                pair.data.get(n).put(far + id, "v" + id);
            }
        }
        pair.plant("node2", 10, "near");
        pair.plant("node2", 600_000, "only on node2, in the gap");
        pair.plant("node2", far + 40_000, "far");

        VerificationResult r = verify(pair, FakePair.ITEMS);

        assertEquals(List.of("10", Long.toString(far + 40_000), "600000"), keys(r), r.tables().get(0).summary());
        assertTrue(r.tables().get(0).chunks() < 80, r.tables().get(0).chunks() + " chunks: " + pair.valueChunkRows);
        // One empty chunk for the gap; the chunk past it has the rows the sizer asks for (4x the
        // last, 4,000), not all 50,000 rows past the gap.
        List<Long> sizes = pair.valueChunkRows;
        assertEquals(1, sizes.stream().filter(n -> n == 0).count(), "one empty chunk: " + sizes);
        long pastGap = sizes.get(sizes.indexOf(0L) + 1);
        assertTrue(pastGap > 0 && pastGap <= 17_000, "the chunk past the gap: " + sizes);
    }

    @Test
    void givenOneOutlyingKeyFarPastTheDenseOnes_theFirstChunkIsStillSmall() {
        FakePair pair = new FakePair().withRows(20_000);
        pair.byValue = true;
        for (String n : pair.nodes()) {
            pair.data.get(n).put(9_000_000L, "healed long ago");
        }
        pair.plant("node2", 15_000, "planted");

        VerificationResult r = verify(pair, FakePair.ITEMS);

        assertEquals(List.of("15000"), keys(r), r.tables().get(0).summary());
        // The table's average (20,001 rows over 9,000,000 values) would have made it 450 times wider.
        assertTrue(pair.valueChunkRows.get(0) <= 1024, "the first chunk: " + pair.valueChunkRows);
    }

    @Test
    void givenSparseKeysThenDenseOnes_theKeyScanTakesOverAfterTheChunkThatHeldFarTooManyRows() {
        FakePair pair = new FakePair();
        pair.byValue = true;
        for (String n : pair.nodes()) {
            for (long id = 1000; id <= 5_000_000; id += 1000) {
                pair.data.get(n).put(id, "v" + id);
            }
            for (long id = 5_000_001; id <= 5_100_000; id++) {
                pair.data.get(n).put(id, "v" + id);
            }
        }
        pair.plant("node2", 5_090_000, "planted in the dense part");

        // 1 ms chunks of 1 µs rows: about 1,000 rows a chunk, so the first chunk into the dense
        // part (sized for one row per thousand values) holds far more than asked.
        VerificationResult r = verify(pair, FakePair.ITEMS, Map.of(), false, CancelToken.none(),
                VerifyOptions.defaults().withChunkTime(Duration.ofMillis(1), 1000));

        assertEquals(List.of("5090000"), keys(r), r.tables().get(0).summary());
        int lastByValue = pair.calls.lastIndexOf(pair.calls.stream().filter(c -> c.startsWith("by value")).reduce((a, b) -> b).orElseThrow());
        assertTrue(pair.calls.subList(lastByValue, pair.calls.size()).stream().anyMatch(c -> c.startsWith("boundaries")),
                "the key scan went on after the chunks by value: " + pair.calls);
    }

    @Test
    void aBigChunkThatDiffersIsBisected_soOnlySmallRangesAreReadRowByRow() {
        FakePair pair = new FakePair().withRows(400_000);
        pair.plant("node2", 123_456, "drift");
        pair.write("node1", 300_001, "in flight");
        VerificationResult r = verify(pair, FakePair.ITEMS, Map.of(), false, CancelToken.none(),
                options.withChunkTime(Duration.ofSeconds(1), 200_000));
        assertEquals(List.of("123456"), keys(r), r.tables().get(0).summary());
        assertTrue(pair.largestDigestRead <= TableVerifier.NARROW_ROWS, "read " + pair.largestDigestRead + " rows at once");
    }

    @Test
    void givenOneRowWrittenOnBothMastersAtOnce_theSwappedValuesAreFound() {
        FakePair pair = new FakePair().withRows(1000);
        // Each master applied the other's write over its own: the values swap and stay swapped.
        pair.plant("node1", 7, "written on node2");
        pair.plant("node2", 7, "written on node1");
        VerificationResult r = verify(pair, FakePair.ITEMS);
        assertEquals(List.of("7"), keys(r));
        assertEquals("shop.items id=7: v node1 'written on node2' node2 'written on node1'",
                r.differences().get(0).describe());
    }

    @Test
    void givenARowThatChangesAtEveryRecheck_theTableIsUnsettledNeverIdentical() {
        FakePair pair = new FakePair().withRows(1000);
        int[] n = {0};
        pair.write("node1", 5, "hot 0");
        pair.afterEachCatchUp.add(() -> pair.write("node1", 5, "hot " + ++n[0]));
        VerificationResult r = verify(pair, FakePair.ITEMS);
        TableResult t = r.tables().get(0);
        assertEquals(TableVerdict.INCONCLUSIVE, t.verdict(), t.summary());
        assertEquals(InconclusiveReason.UNSETTLED, t.reason());
        assertTrue(t.detail().contains("id=5"), t.detail());
        assertEquals(TableVerdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.differences().isEmpty(), "a moving row is not called drift either");
    }

    @Test
    void givenReplicationThatDoesNotCatchUp_aDifferenceIsUnsettled() {
        FakePair pair = new FakePair().withRows(1000);
        pair.write("node1", 5, "in flight");
        pair.catchUpFails = "node2: MASTER_POS_WAIT returned NULL: its SQL thread is not running";
        TableResult t = verify(pair, FakePair.ITEMS).tables().get(0);
        assertEquals(InconclusiveReason.UNSETTLED, t.reason());
        assertTrue(t.detail().contains("SQL thread is not running"), t.detail());
    }

    @Test
    void aCancelledVerificationIsInconclusiveNotIdentical() {
        FakePair pair = new FakePair().withRows(50_000);
        CancelToken cancel = new CancelToken();
        VerificationResult r = new Verification(pair, options, () -> pair.nanos).run("shop", Instant.EPOCH,
                List.of(FakePair.ITEMS, FakePair.LOG), List.of(), Map.of(), false, List.of(),
                p -> { if (p.rowsDone() > 3000) cancel.cancel(); }, cancel);
        assertEquals(TableVerdict.INCONCLUSIVE, r.verdict());
        assertTrue(r.tables().stream().allMatch(t -> t.reason() == InconclusiveReason.CANCELLED),
                r.tables().stream().map(TableResult::summary).toList().toString());
    }

    @Test
    void theNextChunksPartEndsAreReadAheadWhileThisChunkIsChecksummed() {
        FakePair pair = new FakePair().withRows(20_000);
        VerificationResult r = verify(pair, FakePair.ITEMS);
        assertEquals(TableVerdict.IDENTICAL, r.verdict(), r.tables().get(0).summary());
        int chunks = r.tables().get(0).chunks();
        assertTrue(chunks > 2, "several chunks: " + chunks);
        List<String> checksums = pair.calls.stream().filter(c -> c.startsWith("checksum")).toList();
        assertEquals(chunks, checksums.size(), pair.calls.toString());
        // Only the first chunk's part ends are read in turn; every other chunk's were read ahead,
        // started before the checksum of the chunk before it.
        assertEquals(List.of("boundaries after start"), pair.calls.stream().filter(c -> c.startsWith("boundaries")).toList());
        for (int i = 0; i < chunks - 1; i++) {
            int at = pair.calls.indexOf("checksum chunk " + i);
            assertTrue(pair.calls.get(at - 1).startsWith("ahead after "), pair.calls.toString());
        }
        assertEquals(chunks - 1, pair.calls.stream().filter(c -> c.startsWith("ahead")).count());
        assertEquals(0, pair.readAheadsCancelled);
    }

    @Test
    void givenWritesBetweenTheReadAheadAndTheChecksum_onlyThePlantedRowsDiffer() {
        FakePair pair = new FakePair().withRows(20_000);
        List<Long> planted = new ArrayList<>();
        pair.afterEachReadAhead.add(ends -> {
            if (ends.size() < TableVerifier.PARTS || !planted.isEmpty()) {
                return;
            }
            long end = Long.parseLong(ends.get(ends.size() - 1).values().get(0));
            long cut = Long.parseLong(ends.get(10).values().get(0));
            // The next chunk's last end and one of its cuts deleted on node1, rows inserted
            // inside it, before its checksum: in flight, not drift; the cuts still cut it exactly.
            pair.write("node1", end, null);
            pair.write("node1", cut, null);
            pair.write("node2", cut - 1, "updated on node2");
            pair.plant("node2", cut + 1, "drift in a chunk whose ends were read before it");
            planted.add(cut + 1);
        });
        VerificationResult r = verify(pair, FakePair.ITEMS);
        assertEquals(1, planted.size());
        assertEquals(TableVerdict.DIFFERS, r.verdict(), r.tables().get(0).summary());
        assertEquals(List.of(Long.toString(planted.get(0))), keys(r));
        assertEquals(20_000 - 2, pair.data.get("node2").size(), "the in-flight deletes reached node2 at a catch-up");
    }

    @Test
    void givenACancelWhileTheNextPartEndsAreReadAhead_theReadIsStoppedAndTheTableInconclusive() {
        FakePair pair = new FakePair().withRows(20_000);
        CancelToken cancel = new CancelToken();
        pair.afterEachChecksum.add(cancel::cancel);
        VerificationResult r = verify(pair, FakePair.ITEMS, Map.of(), false, cancel, options);
        assertEquals(InconclusiveReason.CANCELLED, r.tables().get(0).reason(), r.tables().get(0).summary());
        assertEquals(List.of("boundaries after start", "ahead after " + pair.calls.get(1).substring(12),
                "checksum chunk 0"), pair.calls);
        assertEquals(1, pair.readAheadsCancelled, "the read ahead was stopped, not left running");
    }

    @Test
    void aVerificationOutOfTimeIsInconclusive() {
        FakePair pair = new FakePair().withRows(50_000);
        // 1 µs a row in the fake: 50,000 rows need 50 ms on each node.
        VerificationResult r = verify(pair, FakePair.ITEMS, Map.of(), false, CancelToken.none(),
                options.withTimeout(Duration.ofMillis(20)));
        assertEquals(InconclusiveReason.TIMEOUT, r.tables().get(0).reason());
        assertEquals(TableVerdict.INCONCLUSIVE, r.verdict());
    }

    @Test
    void aKeylessTableIsComparedWholeWithANote() {
        FakePair pair = new FakePair().withRows(300);
        pair.write("node2", 301, "in flight");
        TableResult same = verify(pair, FakePair.LOG).tables().get(0);
        assertEquals(TableVerdict.IDENTICAL, same.verdict());
        assertEquals(1, same.chunks());
        assertTrue(same.notes().get(0).contains("compared whole"), same.notes().toString());

        pair.plant("node1", 3, "drift");
        TableResult differs = verify(pair, FakePair.LOG).tables().get(0);
        assertEquals(TableVerdict.DIFFERS, differs.verdict());
        assertTrue(differs.differences().isEmpty(), "rows of a keyless table cannot be named");
    }

    @Test
    void highLoadPausesBeforeTheNextChunk() {
        FakePair pair = new FakePair().withRows(100);
        pair.highLoadSamples = 3;
        assertEquals(TableVerdict.IDENTICAL, verify(pair, FakePair.ITEMS).verdict());
        assertEquals(3, pair.pauses.size());
    }

    @Test
    void ledgerKeysAreCheckedFirst_andAloneWhenAsked() {
        FakePair pair = new FakePair().withRows(5000);
        pair.plant("node2", 547, null);     // the ledger's lost transaction
        pair.plant("node2", 4000, "drift the ledger does not know");
        Map<TableRef, List<RowKey>> ledger = Map.of(FakePair.ITEMS.table(),
                List.of(RowKey.of("546"), RowKey.of("547"), RowKey.of("548")));

        VerificationResult only = verify(pair, FakePair.ITEMS, ledger, true, CancelToken.none(), options);
        assertEquals(List.of("547"), keys(only));
        assertEquals(3, only.rowsCompared());
        assertTrue(only.tables().get(0).notes().get(0).startsWith("only the 3 row(s)"), only.tables().get(0).notes().toString());
        VerificationResult unnamed = new Verification(pair, options, () -> pair.nanos).run("shop", Instant.EPOCH,
                List.of(FakePair.ITEMS, FakePair.LOG), List.of(), ledger, true, List.of(), ProgressListener.NONE,
                CancelToken.none());
        assertEquals(List.of(FakePair.ITEMS.table()), unnamed.tables().stream().map(TableResult::table).toList(),
                "a table the ledger names nothing in is not compared, so not called identical");

        VerificationResult full = verify(pair, FakePair.ITEMS, ledger, false, CancelToken.none(), options);
        assertEquals(List.of("4000", "547"), keys(full), "found once each, though 547 is seen twice");
    }

    @Test
    void givenARepairsExactKeysThatNoNodeHasAnyMore_theRowsAgreeAndTheTableIsIdentical() {
        FakePair pair = new FakePair().withRows(5000);
        // 9001 was an extra row the repair deleted: spelled as the verification read it, so its
        // absence on both nodes is the repair done.
        Map<TableRef, List<RowKey>> repaired = Map.of(FakePair.ITEMS.table(), List.of(RowKey.of("17"), RowKey.of("9001")));
        TableResult exact = new Verification(pair, options, () -> pair.nanos).run("shop", Instant.EPOCH,
                List.of(FakePair.ITEMS), List.of(), repaired, true, true, List.of(), ProgressListener.NONE,
                CancelToken.none()).tables().get(0);
        assertEquals(TableVerdict.IDENTICAL, exact.verdict(), exact.summary());
        assertTrue(exact.notes().stream().anyMatch(n -> n.startsWith("1 row(s) absent on both nodes")), exact.notes().toString());

        pair.plant("node2", 17, "drift");
        TableResult stillDiffers = new Verification(pair, options, () -> pair.nanos).run("shop", Instant.EPOCH,
                List.of(FakePair.ITEMS), List.of(), repaired, true, true, List.of(), ProgressListener.NONE,
                CancelToken.none()).tables().get(0);
        assertEquals(TableVerdict.DIFFERS, stillDiffers.verdict(), stillDiffers.summary());
    }

    @Test
    void givenLedgerKeysThatMatchNoRowOnEitherNode_theTableIsInconclusiveNeverIdentical() {
        FakePair pair = new FakePair().withRows(5000);
        // 9001 and 9002 are past the last row on both nodes: deleted on both, or a key the ledger misspelt.
        Map<TableRef, List<RowKey>> ledger = Map.of(FakePair.ITEMS.table(),
                List.of(RowKey.of("17"), RowKey.of("9001"), RowKey.of("9002")));

        TableResult only = verify(pair, FakePair.ITEMS, ledger, true, CancelToken.none(), options).tables().get(0);
        assertEquals(TableVerdict.INCONCLUSIVE, only.verdict(), only.summary());
        assertEquals(InconclusiveReason.NOT_FOUND, only.reason());
        assertTrue(only.detail().contains("2 row(s) named by the loss ledger not found on either node (id=9001, id=9002)"),
                only.detail());
        assertEquals(1, only.rowsCompared(), "only the row that exists was compared");

        pair.plant("node2", 17, "drift");
        TableResult withDrift = verify(pair, FakePair.ITEMS, ledger, true, CancelToken.none(), options).tables().get(0);
        assertEquals(TableVerdict.INCONCLUSIVE, withDrift.verdict());
        assertEquals(List.of("17"), withDrift.differences().stream().map(d -> d.key().toString()).toList(),
                "the drift found among the other keys is kept");

        TableResult full = verify(pair, FakePair.ITEMS, ledger, false, CancelToken.none(), options).tables().get(0);
        assertEquals(TableVerdict.DIFFERS, full.verdict(), "a full comparison covers the missing keys: " + full.summary());
        assertTrue(full.notes().stream().anyMatch(n -> n.contains("not found on either node")), full.notes().toString());
    }

    @Test
    void longValuesAreCutForDisplay() {
        char[] big = new char[10_000];
        Arrays.fill(big, 'x');
        RowDifference d = new RowDifference(FakePair.ITEMS.table(), List.of("id"), RowKey.of("1"), List.of("id", "v"),
                new java.util.LinkedHashMap<>(Map.of("node1", List.of("1", new String(big)))));
        String shown = d.valuesByNode().get("node1").get(1);
        assertTrue(shown.length() < 200 && shown.endsWith("(10000 chars)"), shown);
    }

    @Test
    void theClusterVerdictIsNeverIdenticalWhenATableIsInconclusive() {
        TableResult ok = new TableResult(FakePair.ITEMS.table(), TableVerdict.IDENTICAL, null, null, 10, 1, List.of(),
                List.of(), Duration.ZERO);
        TableResult unknown = TableResult.inconclusive(FakePair.LOG.table(), InconclusiveReason.MISSING_PRIVILEGE,
                "GRANT SELECT ON `shop`.* TO 'resync'@'%'", 0, 0, List.of(), List.of(), Duration.ZERO);
        VerificationResult r = new VerificationResult("shop", List.of("node1", "node2"), Instant.EPOCH, Duration.ZERO,
                new ArrayList<>(List.of(ok, unknown)), List.of());
        assertEquals(TableVerdict.INCONCLUSIVE, r.verdict());
        assertEquals(TableVerdict.INCONCLUSIVE, new VerificationResult("shop", List.of(), Instant.EPOCH,
                Duration.ZERO, List.of(), List.of()).verdict(), "nothing compared is not identical");
        assertNull(ok.reason());
        assertFalse(r.headline().contains("identical"), r.headline());
    }
}
