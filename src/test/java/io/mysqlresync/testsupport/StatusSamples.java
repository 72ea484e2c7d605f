package io.mysqlresync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlresync.mysql.StatusRowMapper;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The status rows captured from a real MariaDB pair (src/test/resources/status-samples, made by
 * {@code CaptureStatusSamples}), turned into a {@link ClusterStatus} the way the JDBC reader
 * turns a live read into one: the replica row through {@link StatusRowMapper}, the version through
 * {@link ServerVersion#parse}, the rest field by field as {@code JdbcClusterReader.readWith} reads it.
 */
public final class StatusSamples {

    /** When the samples were "read": every node's uptime counts back from here. */
    public static final Instant READ_AT = Instant.parse("2026-11-20T08:00:00Z");

    private static final String ROOT = "status-samples";
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusSamples() {
    }

    /** The captured states, one directory each (healthy, seed-incident, ...). */
    public static List<String> states() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Both nodes of one captured state, node1 and node2 replicating from each other. */
    public static ClusterStatus pair(String state) {
        NodeStatus node1 = node(state, "node1");
        NodeStatus node2 = node(state, "node2");
        return new ClusterStatus(state, List.of(node1, node2), Map.of("node1", "node2", "node2", "node1"));
    }

    public static NodeStatus node(String state, String node) {
        JsonNode sample;
        try {
            sample = JSON.readTree(root().resolve(state).resolve(node + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!sample.path("unreachable").isMissingNode() && !sample.path("unreachable").isNull()) {
            return NodeStatus.unreachable(node, READ_AT, sample.get("unreachable").asText());
        }
        JsonNode variables = sample.get("variables");
        ServerVersion version = ServerVersion.parse(variables.get("@@version").asText(), null);
        if (version.flavor() != Flavor.MARIADB) {
            throw new IllegalStateException(state + "/" + node + ": the samples are MariaDB captures; "
                    + "teach this loader the MySQL variables before adding others");
        }
        String gtidCurrentPos = text(variables, "@@gtid_current_pos");
        List<BinlogFile> binlogs = new ArrayList<>();
        for (JsonNode log : sample.get("binaryLogs")) {
            String name = log.get("Log_name").asText();
            if (BinlogCoordinates.isValidFileName(name)) {
                binlogs.add(new BinlogFile(name, log.get("File_size").asLong()));
            }
        }
        JsonNode head = sample.get("binlogStatus");
        BinlogCoordinates ownHead = head == null || head.isNull() ? null
                : new BinlogCoordinates(head.get("File").asText(), head.get("Position").asLong());
        JsonNode replica = sample.get("replica");
        List<ReplicaChannel> channels = replica == null || replica.isNull() ? List.of()
                : List.of(StatusRowMapper.map(row(replica), version.flavor()));
        return new NodeStatus(node, READ_AT, null, version, variables.get("@@server_id").asLong(),
                variables.get("Uptime").asLong(), !"0".equals(text(variables, "@@read_only")),
                !gtidCurrentPos.isEmpty(), gtidCurrentPos, binlogs, ownHead, channels);
    }

    /** The replica row as the JDBC reader hands it to the mapper: column to text, SQL NULL as null. */
    private static Map<String, String> row(JsonNode replica) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = replica.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            row.put(column.getKey(), column.getValue().isNull() ? null : column.getValue().asText());
        }
        return row;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static Path root() {
        URL url = StatusSamples.class.getClassLoader().getResource(ROOT);
        if (url == null) {
            throw new IllegalStateException(ROOT + " is not on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
