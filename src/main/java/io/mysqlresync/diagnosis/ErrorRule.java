package io.mysqlresync.diagnosis;

import java.util.Optional;

/** A finding kind's rule about a replication thread that stopped on an error. */
interface ErrorRule {
    /** The finding, or empty when this is not the rule's error. */
    Optional<Finding> diagnose(ThreadError error);
}
