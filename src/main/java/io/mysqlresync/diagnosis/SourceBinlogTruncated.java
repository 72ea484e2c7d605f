package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.BinlogCoordinates;
import io.mysqlresync.replication.BinlogFile;
import io.mysqlresync.replication.NodeStatus;

import java.util.List;
import java.util.Optional;

/**
 * The source refuses (1236) a position past the end of its binlog: its crash cut the file's
 * end, after the replica had already received it. The seed incident's node2.
 */
final class SourceBinlogTruncated implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!e.fatalReadingBinlog()) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        BinlogCoordinates received = node.channel().received();
        Optional<NodeStatus> source = node.source().filter(NodeStatus::reachable);
        Optional<BinlogFile> requestedFile = received == null ? Optional.empty()
                : source.flatMap(s -> s.binaryLog(received.file()));
        boolean positionPastEnd = requestedFile.map(f -> f.sizeBytes() < received.position()).orElse(false);
        boolean impossiblePosition = e.says("impossible position", "position > file size",
                "binlog truncated", "beyond the end");
        if (!positionPastEnd && !impossiblePosition) {
            return Optional.empty();
        }
        String name = node.name();
        String sourceName = node.sourceName();
        List<Evidence> tev = node.withSourceBinlogs(e.evidence());
        String detail;
        if (requestedFile.isPresent()) {
            long missing = received.position() - requestedFile.get().sizeBytes();
            Optional<BinlogFile> next = source.get().binaryLogAfter(received.file());
            detail = name + " asks " + sourceName + " for " + received.file() + " from position "
                    + received.position() + ", but that file ends at "
                    + requestedFile.get().sizeBytes() + " on " + sourceName
                    + (missing > 0 ? ": the crash cut " + missing + " bytes from its end. " : ". ")
                    + next.map(n -> sourceName + " started a new binlog, " + n.name()
                            + ", when it came back; " + name + " can resume at its start (position 4).")
                    .orElse(sourceName + " has no newer binlog yet to resume from.");
        } else if (source.isEmpty()) {
            detail = name + " asks " + sourceName + " for a position its binlog does not have, and "
                    + sourceName + " cannot be read right now to confirm where the file ends.";
        } else if (received == null) {
            detail = name + " asks " + sourceName + " for a position its binlog does not have.";
        } else {
            detail = name + " asks " + sourceName + " for " + received.file() + ", which "
                    + sourceName + " does not list in SHOW BINARY LOGS.";
        }
        return Optional.of(node.finding(FindingKind.SOURCE_BINLOG_TRUNCATED,
                sourceName + "'s binlog " + NodeFacts.file(received) + " is shorter than the position "
                        + name + " asks for", detail, tev));
    }
}
