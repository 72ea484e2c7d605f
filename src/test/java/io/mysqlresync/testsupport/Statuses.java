package io.mysqlresync.testsupport;

import io.mysqlresync.mysql.StatusRowMapper;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ServerVersion;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.StatusField;

import io.mysqlresync.replication.Applier;
import io.mysqlresync.replication.ReplicaChannel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds node statuses from status rows the way the JDBC reader does, for core unit tests. */
public final class Statuses {

    public static final Instant NOW = Instant.parse("2016-05-17T09:00:00Z");

    /** Last_SQL_Error of MySQL's multithreaded applier when a worker failed (MySQL bug #86641's text). */
    public static final String MYSQL_COORDINATOR_STOP = "Coordinator stopped because there were error(s) in the "
            + "worker(s). The most recent failure being: Worker 2 failed executing transaction "
            + "'c7258e28-4c06-11e7-b189-0a26f8645d98:242101388' at source log binlog.000406, end_log_pos 906634781. "
            + "See error log and/or performance_schema.replication_applier_status_by_worker table for more "
            + "details about this failure or others, if any.";

    private Statuses() {
    }

    /** A status row from "Column: value" lines, as SHOW SLAVE STATUS\G prints them. */
    public static Map<String, String> row(String... lines) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String value = line.substring(colon + 1).trim();
            row.put(line.substring(0, colon).trim(), value.equals("NULL") ? null : value);
        }
        return row;
    }

    public static NodeStatus node(String name, String version, long uptime, Map<String, String> replicaRow,
                                  BinlogFile... binlogs) {
        ServerVersion v = ServerVersion.parse(version, version.contains("MariaDB") ? "mariadb.org binary distribution" : "MySQL Community Server - GPL");
        replicaRow = replicaRow == null ? null : inFlavor(replicaRow, v.flavor());
        List<BinlogFile> logs = Arrays.asList(binlogs);
        BinlogCoordinates head = logs.isEmpty() ? null
                : new BinlogCoordinates(logs.get(logs.size() - 1).name(), logs.get(logs.size() - 1).sizeBytes());
        return new NodeStatus(name, NOW, null, v, serverIdOf(name), uptime, false, false, "",
                logs, head, replicaRow == null ? List.of() : List.of(StatusRowMapper.map(replicaRow, v.flavor())));
    }

    /** node1 is server id 1, node2 is 2, as in the seed incident and the sandbox pairs. */
    static long serverIdOf(String name) {
        String digits = name.replaceAll("^.*?(\\d+)$", "$1");
        return digits.equals(name) ? name.hashCode() & 0xffff : Long.parseLong(digits);
    }

    /** Rows are written with classic (5.7) column names; rename them to what this flavor prints. */
    static Map<String, String> inFlavor(Map<String, String> classic, Flavor flavor) {
        Map<String, String> out = new LinkedHashMap<>();
        classic.forEach((column, value) -> {
            String renamed = column;
            for (StatusField f : StatusField.values()) {
                String name = f.columnName(flavor);
                if (column.equals(f.columnName(Flavor.MYSQL_LEGACY)) && name != null) {
                    renamed = name;
                }
            }
            out.put(renamed, value);
        });
        return out;
    }

    /** A node with several channels (MySQL FOR CHANNEL, MariaDB named connections), rows in classic names. */
    @SafeVarargs
    public static NodeStatus nodeWithChannels(String name, String version, long uptime, List<BinlogFile> binlogs,
                                              Map<String, String>... replicaRows) {
        NodeStatus base = node(name, version, uptime, null, binlogs.toArray(BinlogFile[]::new));
        List<ReplicaChannel> channels = new ArrayList<>();
        for (Map<String, String> r : replicaRows) {
            channels.add(StatusRowMapper.map(inFlavor(r, base.version().flavor()), base.version().flavor()));
        }
        return new NodeStatus(base.node(), base.readAt(), null, base.version(), base.serverId(), uptime,
                false, false, "", base.binaryLogs(), base.ownBinlogHead(), channels);
    }

    /** The node with gtid_mode=ON (MySQL) or a GTID position (MariaDB), as the reader fills them. */
    public static NodeStatus withGtid(NodeStatus n, String executed) {
        return new NodeStatus(n.node(), n.readAt(), null, n.version(), n.serverId(), n.uptimeSeconds(), n.readOnly(),
                true, executed, n.binaryLogs(), n.ownBinlogHead(), n.channels());
    }

    /** Every channel of the node with this applier, as the reader fills it from variables and performance_schema. */
    public static NodeStatus withApplier(NodeStatus n, Applier applier) {
        return new NodeStatus(n.node(), n.readAt(), null, n.version(), n.serverId(), n.uptimeSeconds(), n.readOnly(),
                n.gtidEnabled(), n.gtidExecuted(), n.binaryLogs(), n.ownBinlogHead(),
                n.channels().stream().map(c -> c.withApplier(new Applier(applier.parallelWorkers(),
                        applier.preservesCommitOrder(), applier.failingTransaction(),
                        applier.gtidSlavePos().isEmpty() ? c.applier().gtidSlavePos() : applier.gtidSlavePos()))).toList());
    }

    public static ClusterStatus pair(NodeStatus node1, NodeStatus node2) {
        return new ClusterStatus("shop", List.of(node1, node2),
                Map.of(node1.node(), node2.node(), node2.node(), node1.node()));
    }

    public static BinlogFile binlog(String name, long size) {
        return new BinlogFile(name, size);
    }

    /**
     * The seed incident, with the values from the post: node1's relay log is corrupt; node2 asks
     * for a position past the end of node1's truncated mysql-bin.000234.
     */
    public static ClusterStatus seedIncident(String version) {
        NodeStatus node1 = node("node1", version, 300, row(
                        "Slave_IO_State: Waiting for master to send event",
                        "Master_Host: node2", "Master_User: repl", "Master_Port: 3306",
                        "Master_Log_File: mysql-bin.000253", "Read_Master_Log_Pos: 569975131",
                        "Relay_Log_File: relay-bin.000198", "Relay_Log_Pos: 179576569",
                        "Relay_Master_Log_File: mysql-bin.000253",
                        "Slave_IO_Running: Yes", "Slave_SQL_Running: No",
                        "Last_Errno: 1594",
                        "Last_Error: Relay log read failure: Could not parse relay log event entry. The possible reasons are: the master's binary log is corrupted (you can check this by running 'mysqlbinlog' on the binary log), the slave's relay log is corrupted (you can check this by running 'mysqlbinlog' on the relay log), a network problem, or a bug in the master's or slave's MySQL code. If you want to check the master's binary log or slave's relay log, you will be able to know their names by issuing 'SHOW SLAVE STATUS' on this slave.",
                        "Exec_Master_Log_Pos: 419130498",
                        "Seconds_Behind_Master: NULL",
                        "Last_IO_Errno: 0", "Last_IO_Error: ",
                        "Last_SQL_Errno: 1594",
                        "Last_SQL_Error: Relay log read failure: Could not parse relay log event entry. The possible reasons are: the master's binary log is corrupted",
                        "Master_Server_Id: 2"),
                binlog("mysql-bin.000233", 1073742000L), binlog("mysql-bin.000234", 173000000L),
                binlog("mysql-bin.000235", 2048L));
        NodeStatus node2 = node("node2", version, 8_000_000, row(
                        "Slave_IO_State: ",
                        "Master_Host: node1", "Master_User: repl", "Master_Port: 3306",
                        "Master_Log_File: mysql-bin.000234", "Read_Master_Log_Pos: 173841457",
                        "Relay_Log_File: relay-bin.000197", "Relay_Log_Pos: 101852398",
                        "Relay_Master_Log_File: mysql-bin.000234",
                        "Slave_IO_Running: No", "Slave_SQL_Running: Yes",
                        "Exec_Master_Log_Pos: 173841457",
                        "Seconds_Behind_Master: NULL",
                        "Last_IO_Errno: 1236",
                        "Last_IO_Error: Got fatal error 1236 from master when reading data from binary log: 'Client requested master to start replication from impossible position'",
                        "Last_SQL_Errno: 0", "Last_SQL_Error: ",
                        "Master_Server_Id: 1"),
                binlog("mysql-bin.000252", 1073742000L), binlog("mysql-bin.000253", 600000000L));
        return pair(node1, node2);
    }
}
