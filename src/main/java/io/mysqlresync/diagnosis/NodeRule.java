package io.mysqlresync.diagnosis;

import java.util.Optional;

/** A finding kind's rule about a node's state, asked at the stage {@link Rules} registers it for. */
interface NodeRule {
    /** The finding, or empty when the node does not show this rule's symptom. */
    Optional<Finding> diagnose(NodeFacts node);
}
