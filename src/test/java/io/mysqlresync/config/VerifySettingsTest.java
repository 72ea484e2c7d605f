package io.mysqlresync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerifySettingsTest {

    private static final String CLUSTERS = """
            clusters:
              - name: shop
                user: bot
                nodes:
                  - {name: node1, host: 10.0.0.1}
                  - {name: node2, host: 10.0.0.2}
            """;

    private static AppConfig parse(String yaml) {
        return new ConfigLoader(Map.<String, String>of()::get).parse(yaml);
    }

    @Test
    void withoutAVerifySectionTheDefaultsApply() {
        assertEquals(VerifySettings.defaults(), parse(CLUSTERS).verify());
        assertEquals(Duration.ofMillis(100), VerifySettings.defaults().chunkTime());
    }

    @Test
    void includeExcludeAndLimitsAreRead() {
        VerifySettings v = parse(CLUSTERS + """
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
                () -> parse(CLUSTERS + "verify:\n  chunk: 1s\n")).problems();
        assertTrue(problems.get(0).startsWith("verify.chunk: unknown key"), problems.toString());
    }
}
