package io.mysqlresync.diagnosis;

import java.util.List;

/**
 * Every finding kind's rule, registered once, in the order the {@link Diagnoser} asks them.
 * A node is read in stages; at each stage the lists below say which rules are asked and, where
 * the first finding wins, in which order. A new kind is one rule class and one line here
 * (plus its constant in {@link FindingKind} and its recipe in the recovery package).
 */
final class Rules {

    private Rules() {
    }

    private static final SourceUnreachable SOURCE_UNREACHABLE = new SourceUnreachable();
    /** First wherever it is asked: following the wrong server explains every other symptom. */
    private static final WrongSource WRONG_SOURCE = new WrongSource();

    /** A node the bot could not read: the first finding is its only one. */
    static final List<NodeRule> UNREACHABLE_NODE = List.of(
            new NodeUnreachable());

    /** Every node the bot read: each finding is added. */
    static final List<NodeRule> EVERY_NODE = List.of(
            new RecentlyRestarted());

    /** A node without a replication channel: the first finding, if any, ends its diagnosis. */
    static final List<NodeRule> NO_CHANNEL = List.of(
            new NotAReplica());

    /** The IO thread stopped on an error: the first finding wins; the last rule always matches. */
    static final List<ErrorRule> IO_ERROR = List.of(
            WRONG_SOURCE,
            new EventLargerThanPacketLimit(),
            new SourceBinlogsPurged(),
            new GtidPositionNotOnSource(),
            new ReplicaAheadOfSource(),
            new SourceBinlogTruncated(),
            UnknownError.OTHER_FATAL_BINLOG_READ,
            new SourceLoginNeedsSecureConnection(),
            new ReplicationAuthFailure(),
            new SourceTlsFailure(),
            SOURCE_UNREACHABLE,
            new UnknownError());

    /** The SQL thread stopped on an error: the first finding wins; the last rule always matches. */
    static final List<ErrorRule> SQL_ERROR = List.of(
            new RelayLogCorrupt(),
            new DuplicateKey(),
            new RowNotFound(),
            new TableMissing(),
            new GtidOutOfOrder(),
            new UnknownError());

    /** Neither thread stopped on an error: the first finding wins; the last rule always matches. */
    static final List<NodeRule> NO_ERROR = List.of(
            WRONG_SOURCE,
            new ThreadsStoppedByOperator(),
            SOURCE_UNREACHABLE,
            new Lagging(),
            new Healthy());
}
