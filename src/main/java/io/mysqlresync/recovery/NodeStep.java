package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.FindingKind;

import java.util.List;

/** Statements to run, in order, on one node to fix one finding. */
public record NodeStep(String node, FindingKind fixes, String purpose, List<String> statements) {
    public NodeStep {
        statements = List.copyOf(statements);
    }
}
