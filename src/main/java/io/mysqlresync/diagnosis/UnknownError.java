package io.mysqlresync.diagnosis;

import java.util.Optional;

/**
 * An error no rule recognises: quoted verbatim, no fix guessed. Registered last for each thread,
 * so every stopped thread gets a finding.
 */
final class UnknownError implements ErrorRule {

    /**
     * A 1236 the binlog rules did not recognise is still the source refusing its binlog, not a
     * login or network problem: registered right after them so no later rule claims it.
     */
    static final ErrorRule OTHER_FATAL_BINLOG_READ = e -> e.fatalReadingBinlog()
            ? Optional.of(finding(e)) : Optional.empty();

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        return Optional.of(finding(e));
    }

    private static Finding finding(ThreadError e) {
        NodeFacts node = e.node();
        return node.finding(FindingKind.UNKNOWN_ERROR,
                node.name() + "'s " + e.thread() + " thread stopped with error " + e.quoted().code(),
                "The bot does not recognise this error and will not guess a fix. The server said, verbatim: "
                        + NodeFacts.clip(e.quoted().message()),
                e.evidence());
    }
}
