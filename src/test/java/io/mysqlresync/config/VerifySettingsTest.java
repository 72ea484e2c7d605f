package io.mysqlresync.config;

import static io.mysqlresync.config.MinimalConfig.configWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifySettingsTest {

    @Test
    void withoutAVerifySectionTheDefaultsApply() {
        assertEquals(VerifySettings.defaults(), configWith("").verify());
        assertEquals(Duration.ofMillis(100), VerifySettings.defaults().chunkTime());
    }

    @Test
    void includeExcludeAndLimitsAreRead() {
        VerifySettings v = configWith("""
                verify:
                  include: [shop, billing.invoices]
                  exclude: [shop.sessions]
                  chunkTime: 250ms
                  queryTimeout: 1m
                  maxLag: 5s
                  maxThreadsRunning: 25
                """).verify();
        assertEquals(new VerifySettings(List.of("shop", "billing.invoices"), List.of("shop.sessions"),
                Duration.ofMillis(250), Duration.ofMinutes(1), Duration.ofSeconds(5), 25), v);
    }

    @Test
    void anUnknownKeyIsNamed() {
        List<String> problems = assertThrows(ConfigException.class,
                () -> configWith("verify:\n  chunk: 1s\n")).problems();
        assertTrue(problems.get(0).startsWith("verify.chunk: unknown key"), problems.toString());
    }

    @Test
    void afterRecoveryIsFullAndTheScheduleOffUnlessConfigured() {
        assertEquals("full", configWith("").verify().afterRecovery());
        assertEquals("", configWith("").verify().schedule());
        VerifySettings v = configWith("verify:\n  afterRecovery: OFF\n  schedule: \"0 0 3 * * ?\"\n").verify();
        assertEquals("off", v.afterRecovery());
        assertEquals("0 0 3 * * ?", v.schedule());
    }

    @Test
    void aWrongAfterRecoveryOrCronIsNamed() {
        List<String> problems = assertThrows(ConfigException.class,
                () -> configWith("verify:\n  afterRecovery: sometimes\n  schedule: \"every night\"\n")).problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("verify.afterRecovery: 'sometimes' must be one of")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("verify.schedule: 'every night' is not a Quartz cron")),
                problems.toString());
    }
}
