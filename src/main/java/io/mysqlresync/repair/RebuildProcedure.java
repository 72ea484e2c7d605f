package io.mysqlresync.repair;

import io.mysqlresync.replication.ServerVersion;

import java.util.List;

/** How to rebuild a drifted node from its peer when a row-by-row repair is too big. */
public final class RebuildProcedure {

    private RebuildProcedure() {
    }

    public static List<String> forServer(ServerVersion v, String source, String target) {
        if (v == null) {
            return dumpRestore(source, target);
        }
        return switch (v.flavor()) {
            case MARIADB -> List.of(
                    "On " + source + ": mariabackup --backup --target-dir=/backup/" + source
                            + " (a hot physical copy; the writes go on)",
                    "mariabackup --prepare --target-dir=/backup/" + source,
                    "Stop " + target + ", empty its datadir, mariabackup --copy-back --target-dir=/backup/" + source
                            + ", chown the files to mysql, start it",
                    "Point " + target + " at " + source + " from the GTID in xtrabackup_binlog_info"
                            + " (SET GLOBAL gtid_slave_pos = '...'; CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos;"
                            + " START SLAVE), then verify again");
            case MYSQL -> v.atLeast(8, 0, 17) ? List.of(
                    "On both nodes: INSTALL PLUGIN clone SONAME 'mysql_clone.so'; the clone user needs BACKUP_ADMIN on "
                            + source + " and CLONE_ADMIN on " + target,
                    "On " + target + ": SET GLOBAL clone_valid_donor_list = '<" + source + " host:port>';"
                            + " CLONE INSTANCE FROM 'clone_user'@'<" + source + " host>':<port> IDENTIFIED BY '...';"
                            + " (replaces " + target + "'s data and restarts it)",
                    "On " + target + ": CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1; START REPLICA;"
                            + " then verify again")
                    : dumpRestore(source, target);
            case MYSQL_LEGACY -> dumpRestore(source, target);
        };
    }

    private static List<String> dumpRestore(String source, String target) {
        return List.of(
                "On " + source + ": mysqldump --single-transaction --master-data=2 --routines --triggers"
                        + " --all-databases > dump.sql (consistent, notes the binlog position)",
                "Stop replication on " + target + " and load the dump there with binary logging off"
                        + " (mysql --init-command='SET sql_log_bin=0' < dump.sql)",
                "Point " + target + " at the position in the dump's header (CHANGE MASTER TO ...), start it,"
                        + " then verify again");
    }
}
