package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.ClusterStatus;
import io.mysqlresync.replication.Flavor;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ReplicationError;
import io.mysqlresync.replication.StatusField;
import io.mysqlresync.replication.ThreadState;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a cluster's status into findings. Pure: the same status always gives the same
 * diagnosis, so it is tested with status rows captured from real servers.
 */
public final class Diagnoser {

    // ER_SLAVE_RELAY_LOG_READ_FAILURE (5.7, MariaDB) and ER_REPLICA_RELAY_LOG_READ_FAILURE (8.0+).
    private static final Set<Integer> RELAY_LOG_READ_FAILURE = Set.of(1594, 13121);
    // ER_MASTER_FATAL_ERROR_READING_BINLOG and its MySQL 8 successor.
    private static final Set<Integer> SOURCE_FATAL_READING_BINLOG = Set.of(1236, 13114);
    private static final Set<Integer> AUTH_FAILURES = Set.of(1045, 1044, 1227, 1698, 1251, 2061, 1130);
    private static final Set<Integer> CONNECTION_FAILURES = Set.of(2002, 2003, 2005, 2006, 2013, 1129, 1040);

    private static final int MAX_MESSAGE_EVIDENCE = 400;

    private final Thresholds thresholds;

    public Diagnoser(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public Diagnosis diagnose(ClusterStatus status) {
        List<Finding> findings = new ArrayList<>();
        for (NodeStatus node : status.nodes()) {
            findings.addAll(diagnoseNode(status, node));
        }
        return new Diagnosis(status.cluster(),
                status.nodes().stream().map(NodeStatus::readAt).max(java.util.Comparator.naturalOrder())
                        .orElse(java.time.Instant.EPOCH),
                status, findings);
    }

    private List<Finding> diagnoseNode(ClusterStatus cluster, NodeStatus node) {
        List<Finding> out = new ArrayList<>();
        String name = node.node();
        String sourceName = cluster.sourceOf().getOrDefault(name, "");
        if (!node.reachable()) {
            out.add(new Finding(FindingKind.NODE_UNREACHABLE, name, sourceName,
                    name + " cannot be reached: " + node.unreachableReason(),
                    "The bot could not read " + name + " within its timeouts. The server may be down, "
                            + "blackholed by the network, or refusing the bot's user. Nothing can be "
                            + "repaired on it until it answers again.",
                    List.of(new Evidence("connection", node.unreachableReason()))));
            return out;
        }
        if (node.uptimeSeconds() < thresholds.recentRestartSeconds()) {
            out.add(new Finding(FindingKind.RECENTLY_RESTARTED, name, sourceName,
                    name + " restarted " + human(node.uptimeSeconds()) + " ago",
                    "A recent restart after a crash is when binlogs and relay logs are most likely "
                            + "to be torn; the findings below say whether they were.",
                    List.of(new Evidence("Uptime", Long.toString(node.uptimeSeconds())))));
        }
        Optional<ReplicaChannel> maybeChannel = node.replica();
        if (maybeChannel.isEmpty()) {
            if (!sourceName.isEmpty()) {
                out.add(new Finding(FindingKind.NOT_A_REPLICA, name, sourceName,
                        name + " has no replication configured",
                        name + " should replicate from " + sourceName + " but SHOW REPLICA STATUS is "
                                + "empty: replication was reset or never set up. This needs a human: "
                                + "the bot never invents host, user or password settings.",
                        List.of(new Evidence("SHOW REPLICA STATUS", "empty set"))));
            }
            return out;
        }
        ReplicaChannel ch = maybeChannel.get();
        Flavor flavor = node.version().flavor();
        boolean ioFailed = ch.ioThread() != ThreadState.RUNNING && ch.ioError().present();
        boolean sqlFailed = ch.sqlThread() != ThreadState.RUNNING && ch.sqlError().present();
        if (ioFailed) {
            out.add(diagnoseIoError(cluster, node, ch, flavor, sourceName));
        }
        if (sqlFailed) {
            out.add(diagnoseSqlError(node, ch, flavor, sourceName));
        }
        if (!ioFailed && !sqlFailed) {
            if (ch.ioThread() == ThreadState.STOPPED || ch.sqlThread() == ThreadState.STOPPED) {
                String which = ch.ioThread() == ThreadState.STOPPED && ch.sqlThread() == ThreadState.STOPPED
                        ? "both replication threads are" : (ch.ioThread() == ThreadState.STOPPED
                        ? "the IO (receiver) thread is" : "the SQL (applier) thread is");
                out.add(new Finding(FindingKind.THREADS_STOPPED_BY_OPERATOR, name, sourceName,
                        "On " + name + " " + which + " stopped, with no error",
                        "Replication on " + name + " was stopped without an error, usually by someone "
                                + "running STOP SLAVE/STOP REPLICA. Changes from " + sourceName
                                + " pile up until it is started again. Check nobody stopped it on purpose.",
                        threadEvidence(ch, flavor)));
            } else if (ch.ioThread() == ThreadState.CONNECTING) {
                out.add(new Finding(FindingKind.SOURCE_UNREACHABLE, name, sourceName,
                        name + " is still connecting to " + sourceName,
                        "The IO thread has not connected to its source yet. If this lasts, "
                                + sourceName + " is down or unreachable from " + name + ".",
                        threadEvidence(ch, flavor)));
            } else if (ch.secondsBehindSource().isPresent()
                    && ch.secondsBehindSource().getAsLong() - ch.sqlDelaySeconds() > thresholds.lagWarningSeconds()) {
                long lag = ch.secondsBehindSource().getAsLong();
                List<Evidence> ev = new ArrayList<>(threadEvidence(ch, flavor));
                ev.add(field(StatusField.SECONDS_BEHIND_SOURCE, flavor, Long.toString(lag)));
                ev.add(field(StatusField.SOURCE_LOG_FILE, flavor, file(ch.received())));
                ev.add(field(StatusField.READ_SOURCE_LOG_POS, flavor, pos(ch.received())));
                ev.add(field(StatusField.RELAY_SOURCE_LOG_FILE, flavor, file(ch.executed())));
                ev.add(field(StatusField.EXEC_SOURCE_LOG_POS, flavor, pos(ch.executed())));
                out.add(new Finding(FindingKind.LAGGING, name, sourceName,
                        name + " is " + human(lag) + " behind " + sourceName,
                        "Both threads run, but " + name + " applies " + sourceName + "'s changes "
                                + human(lag) + " late. Reads on " + name + " are stale; it should catch up "
                                + "on its own unless the write load is higher than it can apply.",
                        ev));
            } else {
                List<Evidence> ev = new ArrayList<>(threadEvidence(ch, flavor));
                ev.add(field(StatusField.SECONDS_BEHIND_SOURCE, flavor,
                        ch.secondsBehindSource().isPresent() ? Long.toString(ch.secondsBehindSource().getAsLong()) : null));
                out.add(new Finding(FindingKind.HEALTHY, name, sourceName,
                        name + " replicates from " + sourceName + " and is in sync",
                        "Both replication threads run and the lag is within "
                                + thresholds.lagWarningSeconds() + " s.",
                        ev));
            }
        }
        return out;
    }

    private Finding diagnoseIoError(ClusterStatus cluster, NodeStatus node, ReplicaChannel ch, Flavor flavor,
                                    String sourceName) {
        ReplicationError err = ch.ioError();
        String msg = err.message().toLowerCase(Locale.ROOT);
        String name = node.node();
        List<Evidence> ev = new ArrayList<>(threadEvidence(ch, flavor));
        ev.add(field(StatusField.LAST_IO_ERRNO, flavor, Integer.toString(err.code())));
        ev.add(field(StatusField.LAST_IO_ERROR, flavor, clip(err.message())));
        ev.add(field(StatusField.SOURCE_LOG_FILE, flavor, file(ch.received())));
        ev.add(field(StatusField.READ_SOURCE_LOG_POS, flavor, pos(ch.received())));

        boolean fatalReadingBinlog = SOURCE_FATAL_READING_BINLOG.contains(err.code()) || msg.contains("fatal error 1236");
        if (fatalReadingBinlog) {
            if (msg.contains("purged") || msg.contains("could not find first log file name")
                    || msg.contains("could not find gtid state")) {
                return new Finding(FindingKind.SOURCE_BINLOGS_PURGED, name, sourceName,
                        sourceName + " no longer has the binlogs " + name + " needs",
                        name + " asks " + sourceName + " for changes from a binlog (or GTID) that "
                                + sourceName + " has already purged. Those changes cannot be replayed "
                                + "from the source any more: " + name + " has to be rebuilt from a backup "
                                + "or clone of " + sourceName + ".",
                        withSourceBinlogs(ev, cluster, name));
            }
            if (msg.contains("not in the master's binlog") || msg.contains("more gtids than")
                    || msg.contains("not in the source's binlog")) {
                return new Finding(FindingKind.REPLICA_AHEAD_OF_SOURCE, name, sourceName,
                        name + " has transactions that " + sourceName + "'s binlog lost",
                        name + " already applied transactions from " + sourceName + " that "
                                + sourceName + " no longer has in its binlog, typically because the crash "
                                + "cut the end of " + sourceName + "'s binlog. With GTID the replica cannot "
                                + "simply skip ahead; a human must decide which side is right.",
                        withSourceBinlogs(ev, cluster, name));
            }
            Optional<NodeStatus> source = cluster.sourceOf(name).filter(NodeStatus::reachable);
            Optional<BinlogFile> requestedFile = ch.received() == null ? Optional.empty()
                    : source.flatMap(s -> s.binaryLog(ch.received().file()));
            boolean positionPastEnd = requestedFile.map(f -> f.sizeBytes() < ch.received().position()).orElse(false);
            boolean impossiblePosition = msg.contains("impossible position") || msg.contains("position > file size")
                    || msg.contains("binlog truncated") || msg.contains("beyond the end");
            if (positionPastEnd || impossiblePosition) {
                List<Evidence> tev = withSourceBinlogs(ev, cluster, name);
                String detail;
                if (requestedFile.isPresent()) {
                    long missing = ch.received().position() - requestedFile.get().sizeBytes();
                    Optional<BinlogFile> next = source.get().binaryLogAfter(ch.received().file());
                    detail = name + " asks " + sourceName + " for " + ch.received().file() + " from position "
                            + ch.received().position() + ", but that file ends at "
                            + requestedFile.get().sizeBytes() + " on " + sourceName
                            + (missing > 0 ? ": the crash cut " + missing + " bytes from its end. " : ". ")
                            + next.map(n -> sourceName + " started a new binlog, " + n.name()
                                    + ", when it came back; " + name + " can resume at its start (position 4).")
                            .orElse(sourceName + " has no newer binlog yet to resume from.");
                } else if (source.isEmpty()) {
                    detail = name + " asks " + sourceName + " for a position its binlog does not have, and "
                            + sourceName + " cannot be read right now to confirm where the file ends.";
                } else if (ch.received() == null) {
                    detail = name + " asks " + sourceName + " for a position its binlog does not have.";
                } else {
                    detail = name + " asks " + sourceName + " for " + ch.received().file() + ", which "
                            + sourceName + " does not list in SHOW BINARY LOGS.";
                }
                return new Finding(FindingKind.SOURCE_BINLOG_TRUNCATED, name, sourceName,
                        sourceName + "'s binlog " + file(ch.received()) + " is shorter than the position "
                                + name + " asks for", detail, tev);
            }
            return unknown(name, sourceName, "IO", err, ev);
        }
        if (AUTH_FAILURES.contains(err.code()) || msg.contains("access denied")) {
            return new Finding(FindingKind.REPLICATION_AUTH_FAILURE, name, sourceName,
                    name + " cannot log in to " + sourceName + " as " + ch.sourceUser(),
                    sourceName + " rejects the replication user '" + ch.sourceUser() + "': its password, "
                            + "host pattern, authentication plugin or REPLICATION SLAVE grant changed. "
                            + "Fix the user on " + sourceName + " (the bot never handles replication passwords), "
                            + "then restart the IO thread on " + name + ".",
                    ev);
        }
        if (CONNECTION_FAILURES.contains(err.code()) || msg.contains("error connecting")
                || msg.contains("can't connect")) {
            return new Finding(FindingKind.SOURCE_UNREACHABLE, name, sourceName,
                    name + " cannot connect to " + sourceName,
                    name + "'s IO thread keeps retrying the connection to " + sourceName + " ("
                            + ch.sourceHost() + ":" + ch.sourcePort() + "). " + sourceName
                            + " is down or unreachable from " + name + "; replication resumes by itself "
                            + "when it is back.",
                    ev);
        }
        return unknown(name, sourceName, "IO", err, ev);
    }

    private Finding diagnoseSqlError(NodeStatus node, ReplicaChannel ch, Flavor flavor, String sourceName) {
        ReplicationError err = ch.sqlError();
        ReplicationError worker = ch.workerError();
        // The failing worker's message (MySQL's multithreaded applier) names the statement and row.
        String msg = (err.message() + " " + worker.message()).toLowerCase(Locale.ROOT);
        String name = node.node();
        List<Evidence> ev = new ArrayList<>(threadEvidence(ch, flavor));
        ev.add(field(StatusField.LAST_SQL_ERRNO, flavor, Integer.toString(err.code())));
        ev.add(field(StatusField.LAST_SQL_ERROR, flavor, clip(err.message())));
        if (worker.present()) {
            ev.add(new Evidence(WORKER_ERROR_EVIDENCE, worker.code() + ": " + clip(worker.message())));
        }
        ev.add(field(StatusField.RELAY_LOG_FILE, flavor, file(ch.relayLog())));
        ev.add(field(StatusField.RELAY_LOG_POS, flavor, pos(ch.relayLog())));
        ev.add(field(StatusField.RELAY_SOURCE_LOG_FILE, flavor, file(ch.executed())));
        ev.add(field(StatusField.EXEC_SOURCE_LOG_POS, flavor, pos(ch.executed())));
        ev.add(field(StatusField.SOURCE_LOG_FILE, flavor, file(ch.received())));
        ev.add(field(StatusField.READ_SOURCE_LOG_POS, flavor, pos(ch.received())));

        if (RELAY_LOG_READ_FAILURE.contains(err.code()) || msg.contains("relay log read failure")
                || msg.contains("could not parse relay log event")) {
            BinlogCoordinates restart = ch.executed();
            return new Finding(FindingKind.RELAY_LOG_CORRUPT, name, sourceName,
                    name + "'s relay log is unreadable at " + ch.relayLog(),
                    name + "'s SQL thread cannot parse its relay log, the local copy of " + sourceName
                            + "'s binlog, usually because a crash tore it. The events are still in "
                            + sourceName + "'s binlog: " + name + " can fetch them again from the last "
                            + "position it applied, " + restart + " (" + StatusField.RELAY_SOURCE_LOG_FILE.columnName(flavor)
                            + " / " + StatusField.EXEC_SOURCE_LOG_POS.columnName(flavor) + ").",
                    ev);
        }
        if (err.code() == 1062 || worker.code() == 1062 || msg.contains("duplicate entry")) {
            return new Finding(FindingKind.DUPLICATE_KEY, name, sourceName,
                    name + " cannot apply a row from " + sourceName + ": duplicate key",
                    "A change from " + sourceName + " inserts a row whose key already exists on " + name
                            + ": the nodes diverged (both sides wrote the same key, or an earlier event "
                            + "was applied twice). Skipping the event keeps " + name + "'s row and drops "
                            + sourceName + "'s; only a human can say which is right.",
                    ev);
        }
        if (err.code() == 1032 || worker.code() == 1032 || msg.contains("can't find record")
                || msg.contains("key_not_found")) {
            return new Finding(FindingKind.ROW_NOT_FOUND, name, sourceName,
                    name + " cannot apply a change from " + sourceName + ": row not found",
                    "A change from " + sourceName + " updates or deletes a row that does not exist on "
                            + name + ": the nodes diverged. Skipping the event leaves that row different "
                            + "on the two nodes until someone compares and repairs the table.",
                    ev);
        }
        return unknown(name, sourceName, "SQL", worker.present() ? worker : err, ev);
    }

    static final String WORKER_ERROR_EVIDENCE = "failing worker (performance_schema.replication_applier_status_by_worker)";

    private Finding unknown(String node, String source, String thread, ReplicationError err, List<Evidence> ev) {
        return new Finding(FindingKind.UNKNOWN_ERROR, node, source,
                node + "'s " + thread + " thread stopped with error " + err.code(),
                "The bot does not recognise this error and will not guess a fix. The server said, verbatim: "
                        + clip(err.message()),
                ev);
    }

    private static List<Evidence> withSourceBinlogs(List<Evidence> ev, ClusterStatus cluster, String replica) {
        List<Evidence> out = new ArrayList<>(ev);
        cluster.sourceOf(replica).ifPresent(source -> {
            if (!source.reachable()) {
                out.add(new Evidence(source.node() + " SHOW BINARY LOGS", "unreachable"));
                return;
            }
            List<BinlogFile> logs = source.binaryLogs();
            // The tail of the list is what matters; a busy server may list hundreds of files.
            List<BinlogFile> tail = logs.subList(Math.max(0, logs.size() - 4), logs.size());
            StringBuilder sb = new StringBuilder();
            if (logs.size() > tail.size()) sb.append("... ");
            for (BinlogFile f : tail) {
                if (sb.length() > 4) sb.append(", ");
                sb.append(f.name()).append(" (").append(f.sizeBytes()).append(" bytes)");
            }
            out.add(new Evidence(source.node() + " SHOW BINARY LOGS", sb.toString()));
        });
        return out;
    }

    private static List<Evidence> threadEvidence(ReplicaChannel ch, Flavor flavor) {
        return List.of(field(StatusField.IO_RUNNING, flavor, ch.ioThread().statusWord()),
                field(StatusField.SQL_RUNNING, flavor, ch.sqlThread().statusWord()));
    }

    private static Evidence field(StatusField f, Flavor flavor, String value) {
        String name = f.columnName(flavor);
        return new Evidence(name != null ? name : f.classicName(), value);
    }

    private static String file(BinlogCoordinates c) {
        return c == null ? "" : c.file();
    }

    private static String pos(BinlogCoordinates c) {
        return c == null ? "" : Long.toString(c.position());
    }

    private static String clip(String s) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= MAX_MESSAGE_EVIDENCE ? oneLine : oneLine.substring(0, MAX_MESSAGE_EVIDENCE) + "...";
    }

    static String human(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (seconds < 120) return seconds + " s";
        if (seconds < 7200) return d.toMinutes() + " min";
        if (seconds < 172800) return d.toHours() + " h " + d.toMinutesPart() + " min";
        return d.toDays() + " days";
    }
}
