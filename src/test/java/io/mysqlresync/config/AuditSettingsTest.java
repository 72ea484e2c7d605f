package io.mysqlresync.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditSettingsTest {

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
    void withoutAnAuditSectionTheAuditRunsMondaysAtNine() {
        assertEquals("0 0 9 ? * MON", parse(CLUSTERS).audit().schedule());
        assertTrue(parse(CLUSTERS).audit().scheduled());
    }

    @Test
    void aCronExpressionOrOffIsRead() {
        assertEquals("0 30 7 ? * MON-FRI", parse(CLUSTERS + "audit:\n  schedule: \"0 30 7 ? * MON-FRI\"\n").audit().schedule());
        assertFalse(parse(CLUSTERS + "audit:\n  schedule: \"off\"\n").audit().scheduled());
        assertFalse(parse(CLUSTERS + "audit:\n  schedule: off\n").audit().scheduled(), "a bare YAML off");
    }

    @Test
    void aScheduleThatIsNotACronExpressionIsNamed() {
        List<String> problems = assertThrows(ConfigException.class,
                () -> parse(CLUSTERS + "audit:\n  schedule: weekly\n")).problems();
        assertTrue(problems.get(0).startsWith("audit.schedule: 'weekly' is not a cron expression"), problems.toString());
    }
}
