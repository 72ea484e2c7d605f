package io.mysqlresync.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped logback.xml, loaded into a context of its own: what an operator's log shows. */
class LoggingConfigTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    /** Logs one line from the bot and one from Quartz at info under {@code properties}; returns stderr. */
    private static String logged(Map<String, String> properties) throws Exception {
        LoggerContext ctx = new LoggerContext();
        ctx.setMDCAdapter(MDC.getMDCAdapter());
        properties.forEach(ctx::putProperty);
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(ctx);
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            joran.doConfigure(LoggingConfigTest.class.getResource("/logback.xml"));
            ctx.getLogger("io.mysqlresync.slack.ActionHandler").info("approve p-abcd2345 by U0ALICE: EXECUTED");
            ctx.getLogger("org.quartz.core.QuartzScheduler").info("Scheduler started");
        } finally {
            System.setErr(err);
            ctx.stop();
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineCarriesTheClusterAndPlanItIsAbout() throws Exception {
        MDC.put("cluster", "shop");
        MDC.put("plan", "p-abcd2345");
        String out = logged(Map.of());
        assertTrue(out.contains("ActionHandler"), out);
        assertTrue(out.contains("cluster=shop"), out);
        assertTrue(out.contains("plan=p-abcd2345"), out);
        assertTrue(out.contains("approve p-abcd2345 by U0ALICE: EXECUTED"), out);
    }

    @Test
    void withoutContextTheLineHasNoEmptyBrackets() throws Exception {
        String out = logged(Map.of());
        assertTrue(out.contains("ActionHandler - approve"), out);
        assertFalse(out.contains("[]"), out);
    }

    @Test
    void librariesSpeakOnlyWhenSomethingIsWrong() throws Exception {
        String out = logged(Map.of());
        assertFalse(out.contains("Scheduler started"), out);
    }

    @Test
    void theTerminalModesLowerTheBotToWarn() throws Exception {
        String out = logged(Map.of(Main.LOG_LEVEL_PROPERTY, "warn"));
        assertFalse(out.contains("approve p-abcd2345"), out);
    }

    @Test
    void jsonLinesWhenAskedFor() throws Exception {
        MDC.put("cluster", "shop");
        String out = logged(Map.of("MYSQL_RESYNC_LOG_FORMAT", "json"));
        String line = out.lines().filter(l -> l.contains("approve p-abcd2345")).findFirst().orElse("");
        assertTrue(line.startsWith("{") && line.contains("\"cluster\"") && line.contains("\"shop\""), out);
    }
}
