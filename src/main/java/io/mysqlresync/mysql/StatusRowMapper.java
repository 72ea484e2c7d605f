package io.mysqlresync.mysql;

import io.mysqlresync.replication.Applier;
import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.StatusField;
import io.mysqlresync.replication.ThreadState;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Maps one row of SHOW REPLICA/SLAVE STATUS (as column name to text value) to the flavor-neutral
 * {@link ReplicaChannel}. Works on plain maps so that rows captured from real servers can be
 * replayed in unit tests.
 */
public final class StatusRowMapper {

    private StatusRowMapper() {
    }

    public static ReplicaChannel map(Map<String, String> row, Flavor flavor) {
        String usingGtid = get(row, StatusField.USING_GTID, flavor);
        String autoPosition = get(row, StatusField.AUTO_POSITION, flavor);
        boolean gtid = flavor == Flavor.MARIADB
                ? usingGtid != null && !usingGtid.equalsIgnoreCase("No")
                : "1".equals(autoPosition);
        return new ReplicaChannel(
                nullToEmpty(get(row, StatusField.CHANNEL_NAME, flavor)),
                nullToEmpty(get(row, StatusField.SOURCE_HOST, flavor)),
                (int) number(row, StatusField.SOURCE_PORT, flavor, 0),
                nullToEmpty(get(row, StatusField.SOURCE_USER, flavor)),
                number(row, StatusField.SOURCE_SERVER_ID, flavor, 0),
                ThreadState.fromStatusValue(get(row, StatusField.IO_RUNNING, flavor)),
                ThreadState.fromStatusValue(get(row, StatusField.SQL_RUNNING, flavor)),
                coordinates(row, StatusField.SOURCE_LOG_FILE, StatusField.READ_SOURCE_LOG_POS, flavor),
                coordinates(row, StatusField.RELAY_SOURCE_LOG_FILE, StatusField.EXEC_SOURCE_LOG_POS, flavor),
                coordinates(row, StatusField.RELAY_LOG_FILE, StatusField.RELAY_LOG_POS, flavor),
                new ReplicationError((int) number(row, StatusField.LAST_IO_ERRNO, flavor, 0),
                        get(row, StatusField.LAST_IO_ERROR, flavor), get(row, StatusField.LAST_IO_ERROR_TIMESTAMP, flavor)),
                new ReplicationError((int) number(row, StatusField.LAST_SQL_ERRNO, flavor, 0),
                        get(row, StatusField.LAST_SQL_ERROR, flavor), get(row, StatusField.LAST_SQL_ERROR_TIMESTAMP, flavor)),
                optionalNumber(row, StatusField.SECONDS_BEHIND_SOURCE, flavor),
                gtid,
                flavor == Flavor.MARIADB ? nullToEmpty(usingGtid) : nullToEmpty(autoPosition),
                nullToEmpty(get(row, StatusField.RETRIEVED_GTIDS, flavor)),
                number(row, StatusField.SQL_DELAY, flavor, 0),
                get(row, StatusField.SQL_THREAD_STATE, flavor),
                ReplicationError.NONE, // the worker's error is read separately, for MySQL only
                new Applier(0, true, "", get(row, StatusField.GTID_SLAVE_POS, flavor)));
    }

    private static String get(Map<String, String> row, StatusField field, Flavor flavor) {
        String column = field.columnName(flavor);
        return column == null ? null : row.get(column);
    }

    private static long number(Map<String, String> row, StatusField field, Flavor flavor, long dflt) {
        OptionalLong v = optionalNumber(row, field, flavor);
        return v.isPresent() ? v.getAsLong() : dflt;
    }

    private static OptionalLong optionalNumber(Map<String, String> row, StatusField field, Flavor flavor) {
        String v = get(row, field, flavor);
        if (v == null || v.isBlank()) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Null when the file is empty: a replica that never connected has no coordinates yet. */
    private static BinlogCoordinates coordinates(Map<String, String> row, StatusField file, StatusField pos,
                                                 Flavor flavor) {
        String f = get(row, file, flavor);
        if (f == null || f.isBlank() || !BinlogCoordinates.isValidFileName(f.trim())) {
            return null;
        }
        return new BinlogCoordinates(f.trim(), number(row, pos, flavor, 0));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
