package io.mysqlresync.recovery;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ThreadState;

import java.util.EnumSet;
import java.util.Locale;

/** The two replication threads, and which of them a plan statement stops or starts. */
enum ReplicationThread {
    IO, SQL;

    ThreadState state(ReplicaChannel channel) {
        return this == IO ? channel.ioThread() : channel.sqlThread();
    }

    static EnumSet<ReplicationThread> stoppedBy(String sql) {
        return affected(sql, "STOP ");
    }

    static EnumSet<ReplicationThread> startedBy(String sql) {
        return affected(sql, "START ");
    }

    // STOP|START SLAVE|REPLICA [IO_THREAD] [SQL_THREAD] [UNTIL ...]: no thread named means both.
    private static EnumSet<ReplicationThread> affected(String sql, String verb) {
        String s = sql.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (!(s.startsWith(verb + "SLAVE") || s.startsWith(verb + "REPLICA"))) return EnumSet.noneOf(ReplicationThread.class);
        String options = s.contains(" UNTIL ") ? s.substring(0, s.indexOf(" UNTIL ")) : s;
        boolean io = options.contains("IO_THREAD");
        boolean sqlThread = options.contains("SQL_THREAD");
        if (!io && !sqlThread) return EnumSet.allOf(ReplicationThread.class);
        EnumSet<ReplicationThread> out = EnumSet.noneOf(ReplicationThread.class);
        if (io) out.add(IO);
        if (sqlThread) out.add(SQL);
        return out;
    }
}
