package io.mysqlresync.slack;

import io.mysqlresync.slack.SlashCommand.Parsed;
import io.mysqlresync.slack.SlashCommand.Verb;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlashCommandTest {

    private static final List<String> CLUSTERS = List.of("shop", "billing");

    private static SlashCommand ok(String text) {
        Parsed p = SlashCommand.parse(text, CLUSTERS);
        assertTrue(p.command().isPresent(), "'" + text + "' should parse, got: " + p.error());
        return p.command().get();
    }

    private static String error(String text) {
        Parsed p = SlashCommand.parse(text, CLUSTERS);
        assertTrue(p.command().isEmpty(), "'" + text + "' should be refused, got " + p.command());
        return p.error();
    }

    @Test
    void everySubcommandParses() {
        assertEquals(new SlashCommand(Verb.HELP, Optional.empty()), ok(""));
        assertEquals(new SlashCommand(Verb.HELP, Optional.empty()), ok("  help "));
        assertEquals(new SlashCommand(Verb.STATUS, Optional.empty()), ok("status"));
        assertEquals(new SlashCommand(Verb.STATUS, Optional.of("shop")), ok("status shop"));
        assertEquals(new SlashCommand(Verb.DIAGNOSE, Optional.of("billing")), ok("diagnose billing"));
        assertEquals(new SlashCommand(Verb.PLAN, Optional.of("shop")), ok("PLAN   shop"));
        assertEquals(new SlashCommand(Verb.HISTORY, Optional.empty()), ok("history"));
        assertEquals(new SlashCommand(Verb.HISTORY, Optional.of("shop")), ok("history shop"));
        assertEquals(new SlashCommand(Verb.WATCH, Optional.of("shop")), ok("watch shop"));
        assertEquals(new SlashCommand(Verb.AUDIT, Optional.of("shop")), ok("audit shop"));
    }

    @Test
    void auditNeedsAConfiguredCluster() {
        assertTrue(error("audit").startsWith("`audit` needs a cluster: `/mysql-resync audit <cluster>`."), error("audit"));
        assertTrue(error("audit Shop").contains("Unknown cluster `Shop`. Did you mean `shop`?"), error("audit Shop"));
        assertTrue(error("audit shop billing").startsWith("`audit` takes one cluster"), error("audit shop billing"));
    }

    @Test
    void anUnknownSubcommandListsTheValidOnes() {
        String e = error("resync shop");
        assertTrue(e.startsWith("Unknown subcommand `resync`. Valid subcommands: `help`, `status`, `diagnose`, "
                + "`plan`, `history`, `watch`, `audit`, `verify`, `repair`."), e);
        assertTrue(e.contains("`/mysql-resync plan <cluster>`"), e);
        assertTrue(e.contains("Configured clusters: `shop`, `billing`."), e);
    }

    @Test
    void anUnknownClusterListsTheConfiguredOnes() {
        assertEquals("Unknown cluster `shpo`.\nConfigured clusters: `shop`, `billing`.", error("diagnose shpo"));
        assertEquals("Unknown cluster `Shop`. Did you mean `shop`?\nConfigured clusters: `shop`, `billing`.",
                error("plan Shop"));
    }

    @Test
    void missingAndExtraArgumentsSayWhatToType() {
        assertEquals("`plan` needs a cluster: `/mysql-resync plan <cluster>`.\nConfigured clusters: `shop`, `billing`.",
                error("plan"));
        assertEquals("`watch` needs a cluster: `/mysql-resync watch <cluster>`.\nConfigured clusters: `shop`, `billing`.",
                error("watch"));
        assertEquals("`status` takes one cluster, but got `shop billing`. Usage: `/mysql-resync status [cluster]`."
                + "\nConfigured clusters: `shop`, `billing`.", error("status shop billing"));
        assertTrue(error("help me").startsWith("`help` takes no arguments"));
    }

    @Test
    void whatTheUserTypedIsEchoedBackHarmlessly() {
        String e = error("<!channel> " + "x".repeat(100));
        assertTrue(e.startsWith("Unknown subcommand `&lt;!channel&gt;`."), e);
        String longCluster = error("diagnose `" + "y".repeat(100));
        assertTrue(longCluster.startsWith("Unknown cluster `'yyyy"), longCluster);
        assertTrue(longCluster.indexOf('…') < 60, longCluster);
    }

    @Test
    void verifyTakesAClusterAndTableNamesButNothingThatIsNotAName() {
        SlashCommand c = SlashCommand.parse("verify shop shop.orders billing", List.of("shop", "billing")).command()
                .orElseThrow();
        assertEquals(SlashCommand.Verb.VERIFY, c.verb());
        assertEquals("shop", c.cluster().orElseThrow());
        assertEquals(List.of("shop.orders", "billing"), c.tables());
        assertEquals(List.of(), SlashCommand.parse("verify shop", List.of("shop")).command().orElseThrow().tables());
        assertTrue(error("verify").startsWith("`verify` needs a cluster"), error("verify"));
        assertTrue(error("verify shpo shop.orders").startsWith("Unknown cluster `shpo`."), error("verify shpo shop.orders"));
        assertTrue(error("verify shop shop.orders;DROP").contains("is not a schema or `schema.table` name"),
                error("verify shop shop.orders;DROP"));
        assertTrue(error("verify shop `x`").contains("is not a schema"), error("verify shop `x`"));
    }

    @Test
    void repairTakesOneVerificationIdAndNoCluster() {
        SlashCommand c = ok("repair v-1a2b3c4d");
        assertEquals(Verb.REPAIR, c.verb());
        assertEquals(Optional.of("v-1a2b3c4d"), c.verification());
        assertEquals(Optional.empty(), c.cluster(), "the verification knows its cluster");
        assertEquals(c, ok("  Repair   v-1a2b3c4d  "));
        assertEquals(Optional.empty(), ok("verify shop").verification());
    }

    @Test
    void aMalformedRepairSaysWhatToType() {
        assertEquals("`repair` needs a verification id: `/mysql-resync repair <verification-id>`. "
                + "The id is in the verification's message, e.g. `v-1a2b3c4d`.", error("repair"));
        assertEquals("`shop` is not a verification id. Usage: `/mysql-resync repair <verification-id>`. "
                + "The id is in the verification's message, e.g. `v-1a2b3c4d`.", error("repair shop"));
        assertTrue(error("repair v-1a2b3c4").startsWith("`v-1a2b3c4` is not a verification id"), error("repair v-1a2b3c4"));
        assertTrue(error("repair v-1A2B3C4D").startsWith("`v-1A2B3C4D` is not a verification id"),
                error("repair v-1A2B3C4D"));
        assertTrue(error("repair v-1a2b3c4d-after").startsWith("`v-1a2b3c4d-after` is not a verification id"),
                error("repair v-1a2b3c4d-after"));
        assertEquals("`repair` takes one verification id, but got `v-1a2b3c4d shop`. "
                + "Usage: `/mysql-resync repair <verification-id>`.", error("repair v-1a2b3c4d shop"));
        assertTrue(error("repair <!channel>").startsWith("`&lt;!channel&gt;` is not a verification id"),
                error("repair <!channel>"));
    }

    @Test
    void theUsageListsRepairWithTheOthers() {
        assertTrue(SlashCommand.usage(CLUSTERS).contains("`/mysql-resync repair <verification-id>`: a repair plan"),
                SlashCommand.usage(CLUSTERS));
    }
}
