package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ReplicaChannel;

import java.util.List;
import java.util.Optional;

/**
 * What one node's findings add up to, for the "what is broken" line every channel shows before
 * the evidence: its problems worst first, or, when it has none, how it replicates.
 *
 * @param problems the node's findings other than HEALTHY, worst first; empty: the node is fine
 * @param replica  its replica channel, to say how a fine node replicates
 */
public record NodeVerdict(String node, List<Finding> problems, Optional<ReplicaChannel> replica) {

    public NodeVerdict {
        problems = List.copyOf(problems);
    }

    public boolean fine() {
        return problems.isEmpty();
    }

    /** The finding that decides the line: its severity and summary speak for the node. */
    public Finding worst() {
        return problems.get(0);
    }

    /** The kinds of its problems, worst first, each once: "Relay log corrupt", "Server restarted recently". */
    public List<String> kinds() {
        return problems.stream().map(f -> f.kind().title()).distinct().toList();
    }
}
