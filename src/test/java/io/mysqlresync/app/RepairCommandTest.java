package io.mysqlresync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlresync.config.AppConfig;
import io.mysqlresync.sandbox.LocalPair;
import io.mysqlresync.sandbox.LocalPair.Node;
import io.mysqlresync.sandbox.ShopDrift;
import io.mysqlresync.sandbox.ShopSchema;
import io.mysqlresync.testsupport.RealServers;
import io.mysqlresync.testsupport.RepairFixture;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's repair: `verify` prints the id to repair, `repair <id> --source node1`
 * prints every statement, runs nothing without a typed "yes", and after one exits 0 only when
 * the repaired rows verify identical. Drift in three tables: a primary key, a composite key and
 * a unique key with a binary column.
 */
@ExtendWith(RealServers.class)
class RepairCommandTest {

    private static final int ORDERS = 3000;

    private record Run(int code, String out, String err) {
    }

    private static Run repair(AppConfig config, String id, String source, String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RepairCommand.run(config, id, source, new BufferedReader(new StringReader(typed)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String verifyId(AppConfig config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = VerifyCommand.run(config, Demo.CLUSTER, List.of("shop"), false,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(VerifyCommand.DIFFERS, code, text);
        Matcher m = Pattern.compile("repair it with: repair (v-[0-9a-f]{8}) --source <node1\\|node2>").matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    @Test
    void printsTheStatements_runsNothingWithoutYes_andExitsZeroOnlyWhenVerifiedIdentical(LocalPair pair,
                                                                                         @TempDir Path state)
            throws Exception {
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        RepairFixture.grantRepair(pair);
        AppConfig config = Demo.config(pair, state);
        ShopDrift drift = ShopDrift.plant(pair, Node.NODE2, ORDERS, 7);
        int planted = drift.keys().size();
        String id = verifyId(config);

        Run cancelled = repair(config, id, "node1", "no\n");
        assertEquals(1, cancelled.code(), cancelled.out() + cancelled.err());
        assertTrue(cancelled.out().contains("Not applied: rejected by console:"), cancelled.out());
        assertTrue(cancelled.out().contains("DELETE FROM `shop`.`orders` WHERE `id` = 9"), cancelled.out());
        assertTrue(cancelled.out().contains("UPDATE `shop`.`order_lines` SET `qty` = "), cancelled.out());
        assertTrue(cancelled.out().contains("INSERT INTO `shop`.`customers` (`email`, `name`, `visits`, `photo`) VALUES ('c"),
                cancelled.out());
        assertTrue(cancelled.out().contains(", 0x"), "a binary value as a hex literal: " + cancelled.out());
        assertTrue(cancelled.out().contains("node2 ends with node1's rows"), cancelled.out());
        assertTrue(cancelled.out().contains("x' /* first characters of 297, applied in full */"),
                "a long value is shown cut and said so: " + cancelled.out());
        assertEquals(planted, new RepairFixtureless(pair).differences(), "nothing ran without yes");

        Run bad = repair(config, id, "node9", "yes\n");
        assertEquals(Main.USAGE, bad.code());
        assertTrue(bad.err().contains("'node9' is not a node of demo (nodes: node1, node2)"), bad.err());

        Run done = repair(config, id, "node1", "yes\n");
        assertEquals(0, done.code(), done.out() + done.err());
        assertTrue(done.out().contains("Repaired: " + planted + " of " + planted + " statements applied"), done.out());
        assertTrue(done.out().contains("identical."), done.out());
        assertEquals(0, new RepairFixtureless(pair).differences());
        assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE1));
        assertEquals("Yes/Yes errno 0 ", RepairFixture.replicationHealth(pair, Node.NODE2));
    }

    @Test
    void terminalMode_repairThenApproveWithATypedYes(LocalPair pair, @TempDir Path state) throws Exception {
        ShopSchema.create(pair, ORDERS);
        ShopSchema.grantBotSelect(pair);
        RepairFixture.grantRepair(pair);
        AppConfig config = Demo.config(pair, state);
        ShopDrift.plant(pair, Node.NODE2, ORDERS, 8);
        String id = verifyId(config);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (io.mysqlresync.store.StateDatabase db = io.mysqlresync.store.StateDatabase.open(config.state());
             io.mysqlresync.mysql.NodeConnections connections = new io.mysqlresync.mysql.NodeConnections(config.clusters())) {
            io.mysqlresync.console.ConsoleSession session = new io.mysqlresync.console.ConsoleSession(null,
                    new BufferedReader(new StringReader("yes\n")), print, "oncall", (c, ch) -> { })
                    .repairWith(RepairCommand.service(config, db, connections,
                            new io.mysqlresync.incident.ApprovalPolicy(java.util.Set.of(), false, true),
                            java.time.Clock.systemUTC()));
            session.handle("repair " + id + " --source node1");
            Matcher m = Pattern.compile("To apply it: approve (r-[a-z0-9]{8})").matcher(out.toString(StandardCharsets.UTF_8));
            assertTrue(m.find(), out.toString(StandardCharsets.UTF_8));
            session.handle("approve " + m.group(1));
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("Apply the 15 statements of ") && text.contains("Type yes:"), text);
        assertTrue(text.contains("Repaired: 15 of 15 statements applied") && text.contains("identical."), text);
        assertEquals(0, new RepairFixtureless(pair).differences());
    }

    /** A fresh look at the shop, not through the command under test. */
    private record RepairFixtureless(LocalPair pair) {
        int differences() {
            try (RepairFixture f = new RepairFixture(pair, java.time.Clock.systemUTC(), 10_000)) {
                return f.verifyNow("shop").differences().size();
            }
        }
    }
}
