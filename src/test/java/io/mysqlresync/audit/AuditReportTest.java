package io.mysqlresync.audit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.mysqlresync.audit.Nodes.*;
import static org.junit.jupiter.api.Assertions.*;

class AuditReportTest {

    private final Auditor auditor = new Auditor();

    private AuditReport audit(Map<String, String> unreadable, NodeSettings... nodes) {
        return auditor.audit("shop", List.of(nodes), unreadable);
    }

    @Test
    void aWeekWithoutChangesHasNothingToSay() {
        AuditReport week1 = audit(Map.of(), node("node1", MARIADB, "sync_binlog=0", "slave_net_timeout=60"));
        AuditReport week2 = audit(Map.of(), node("node1", MARIADB, "sync_binlog=0", "slave_net_timeout=60"));
        assertTrue(week2.changesSince(week1).isEmpty());
    }

    @Test
    void aFixedSettingAndANewOrChangedProblemAreTheChanges() {
        AuditReport week1 = audit(Map.of(), node("node1", MARIADB, "sync_binlog=0", "slave_net_timeout=60"));
        AuditReport week2 = audit(Map.of(), node("node1", MARIADB, "sync_binlog=1", "slave_net_timeout=120",
                "binlog_checksum=NONE"));
        AuditReport.Changes changes = week2.changesSince(week1);
        assertEquals(List.of("binlog_checksum NONE", "net_timeout 120"), // in registered rule order
                changes.appeared().stream().map(f -> f.item() + " " + f.current()).toList());
        assertEquals(List.of("sync_binlog 0"), changes.fixed().stream().map(f -> f.item() + " " + f.current()).toList());
    }

    @Test
    void aNodeThatCouldNotBeReadIsNotCalledFixed() {
        AuditReport week1 = audit(Map.of(), node("node1", MARIADB, "sync_binlog=0"));
        AuditReport week2 = audit(Map.of("node1", "connection refused"));
        assertTrue(week2.changesSince(week1).fixed().isEmpty());
    }
}
