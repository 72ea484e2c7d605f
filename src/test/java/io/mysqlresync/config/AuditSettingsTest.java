package io.mysqlresync.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.mysqlresync.config.MinimalConfig.configWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuditSettingsTest {

    @Test
    void withoutAnAuditSectionTheAuditRunsMondaysAtNine() {
        assertEquals("0 0 9 ? * MON", configWith("").audit().schedule());
        assertTrue(configWith("").audit().scheduled());
    }

    @Test
    void aCronExpressionOrOffIsRead() {
        assertEquals("0 30 7 ? * MON-FRI", configWith("audit:\n  schedule: \"0 30 7 ? * MON-FRI\"\n").audit().schedule());
        assertFalse(configWith("audit:\n  schedule: \"off\"\n").audit().scheduled());
        assertFalse(configWith("audit:\n  schedule: off\n").audit().scheduled(), "a bare YAML off");
    }

    @Test
    void aScheduleThatIsNotACronExpressionIsNamed() {
        List<String> problems = assertThrows(ConfigException.class,
                () -> configWith("audit:\n  schedule: weekly\n")).problems();
        assertTrue(problems.get(0).startsWith("audit.schedule: 'weekly' is not a cron expression"), problems.toString());
    }
}
