package io.mysqlresync.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlresync.diagnosis.Finding;
import io.mysqlresync.diagnosis.FindingKind;
import io.mysqlresync.incident.LagSample;
import io.mysqlresync.incident.NodeLag;
import io.mysqlresync.recovery.NodeExpectation;
import io.mysqlresync.recovery.RecoveryPlan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateJsonTest {

    private final ObjectMapper json = StateJson.mapper();

    @Test
    void a_plan_for_a_corrupt_relay_log_reads_back_equal_with_its_diagnosis_and_status() throws Exception {
        RecoveryPlan plan = CrashedPair.plan("prod-eu", "p-abcdefgh");
        assertTrue(plan.diagnosis().findings().stream().anyMatch(f -> f.kind() == FindingKind.RELAY_LOG_CORRUPT),
                "the fixture must be the real incident");
        assertFalse(plan.executableOptions().isEmpty());

        String text = json.writeValueAsString(plan);
        RecoveryPlan back = json.readValue(text, RecoveryPlan.class);

        assertEquals(plan, back);
        assertEquals(plan.diagnosis().status(), back.diagnosis().status());
        // Instants as ISO text to the nanosecond, OptionalLong as a number or null.
        assertTrue(text.contains("\"2025-03-14T02:17:09.123456789Z\""), text);
        assertTrue(text.contains("\"secondsBehindSource\":42"), text);
        assertTrue(text.contains("\"secondsBehindSource\":null"), text);
    }

    @Test
    void only_record_components_are_written() throws Exception {
        String text = json.writeValueAsString(CrashedPair.status("prod-eu"));
        // NodeStatus.reachable(), ReplicaChannel.bothThreadsRunning() are derived, not state.
        assertFalse(text.contains("reachable\""), text);
        assertFalse(text.contains("bothThreadsRunning"), text);
    }

    @Test
    void lag_samples_read_back_equal() throws Exception {
        List<LagSample> samples = List.of(
                new LagSample(CrashedPair.READ_AT, List.of(new NodeLag("node1", 340, true), new NodeLag("node2", -1, false))),
                new LagSample(CrashedPair.READ_AT.plusSeconds(10), List.of(new NodeLag("node1", 0, true))));
        String text = json.writeValueAsString(samples);
        assertEquals(samples, json.readValue(text, new TypeReference<List<LagSample>>() { }));
    }

    @Test
    void a_field_written_by_a_newer_replica_is_ignored() throws Exception {
        String text = "{\"node\":\"node1\",\"lagSeconds\":3,\"threadsRunning\":true,\"addedLater\":\"x\"}";
        assertEquals(new NodeLag("node1", 3, true), json.readValue(text, NodeLag.class));
    }

    /** Plans stored before findings named their channel and preconditions pinned the other channels still read. */
    @Test
    void a_plan_stored_before_channels_reads_back_with_none() throws Exception {
        String finding = "{\"kind\":\"DUPLICATE_KEY\",\"node\":\"node2\",\"sourceNode\":\"node1\",\"summary\":\"s\","
                + "\"explanation\":\"e\",\"evidence\":[]}";
        assertEquals("", json.readValue(finding, Finding.class).channel());
        String expectation = "{\"node\":\"node2\",\"reachable\":true,\"ioThread\":\"RUNNING\",\"sqlThread\":\"STOPPED\","
                + "\"ioErrno\":0,\"sqlErrno\":1062}";
        assertEquals(List.of(), json.readValue(expectation, NodeExpectation.class).otherChannels());
        assertEquals(null, json.readValue(expectation, NodeExpectation.class).gtidSlavePos());
    }

    /** A plan that sets gtid_slave_pos stays pinned to the GTID positions it was computed from across a restart. */
    @Test
    void gtid_position_pins_read_back() throws Exception {
        NodeExpectation pinned = new NodeExpectation("node2", true, CrashedPair.READ_AT, null, null, 1236, 0, null, null,
                List.of(), "0-9-7,1-1-503", "1-1-500");
        assertEquals(pinned, json.readValue(json.writeValueAsString(pinned), NodeExpectation.class));
    }
}
