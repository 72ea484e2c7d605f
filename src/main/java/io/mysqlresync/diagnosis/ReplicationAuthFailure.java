package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;
import java.util.Set;

/** The source rejects the replication user: password, host pattern, plugin or grant. */
final class ReplicationAuthFailure implements ErrorRule {

    private static final Set<Integer> AUTH_FAILURES = Set.of(ServerErrors.ACCESS_DENIED,
            ServerErrors.DATABASE_ACCESS_DENIED, ServerErrors.PRIVILEGE_MISSING,
            ServerErrors.ACCESS_DENIED_NO_PASSWORD, ServerErrors.AUTH_PROTOCOL_NOT_SUPPORTED,
            ServerErrors.AUTH_PLUGIN_ERROR, ServerErrors.HOST_NOT_PRIVILEGED);

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!AUTH_FAILURES.contains(e.error().code()) && !e.says("access denied")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        String user = node.channel().sourceUser();
        return Optional.of(node.finding(FindingKind.REPLICATION_AUTH_FAILURE,
                name + " cannot log in to " + sourceName + " as " + user,
                sourceName + " rejects the replication user '" + user + "': its password, "
                        + "host pattern, authentication plugin or REPLICATION SLAVE grant changed. "
                        + "Fix the user on " + sourceName + " (the bot never handles replication passwords), "
                        + "then restart the IO thread on " + name + ".",
                e.evidence()));
    }
}
