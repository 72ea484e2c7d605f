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
                + "`plan`, `history`, `watch`, `audit`."), e);
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
}
