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

    /**
     * The statement that starts {@code threads} again after {@code stop} stopped them: the same
     * words with START, so a MariaDB connection name ({@code STOP SLAVE 'c'}) or a MySQL channel
     * ({@code FOR CHANNEL 'c'}) is kept; one thread is named when only one is to be started.
     */
    static String restart(String stop, EnumSet<ReplicationThread> threads) {
        String start = ("START" + stop.trim().substring("STOP".length()))
                .replaceAll("(?i)\\s*,?\\s*\\b(IO|SQL)_THREAD\\b", ""); // both threads, unless one is named below
        if (threads.size() == 2) return start;
        String thread = threads.contains(IO) ? " IO_THREAD" : " SQL_THREAD";
        int channel = start.toUpperCase(Locale.ROOT).indexOf(" FOR CHANNEL");
        return channel < 0 ? start + thread : start.substring(0, channel) + thread + start.substring(channel);
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
