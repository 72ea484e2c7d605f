package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;
import io.mysqlresync.replication.ThreadState;

import java.util.Optional;
import java.util.Set;

/**
 * The replica cannot reach its source: its IO thread failed to connect, or is still connecting
 * without an error yet. Asked at two stages, so it is both kinds of rule.
 */
final class SourceUnreachable implements ErrorRule, NodeRule {

    private static final Set<Integer> CONNECTION_FAILURES = Set.of(ServerErrors.CONNECTION_ERROR,
            ServerErrors.CONNECT_HOST_ERROR, ServerErrors.UNKNOWN_HOST, ServerErrors.SERVER_GONE,
            ServerErrors.SERVER_LOST, ServerErrors.HOST_BLOCKED, ServerErrors.TOO_MANY_CONNECTIONS);

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (!CONNECTION_FAILURES.contains(e.error().code()) && !e.says("error connecting", "can't connect")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        ReplicaChannel ch = node.channel();
        String name = node.name();
        String sourceName = node.sourceName();
        // The bot reading the source just now rules out "down": then it is the path between them.
        boolean sourceAnswersTheBot = node.source().map(s -> s.reachable()).orElse(false);
        String why = sourceAnswersTheBot
                ? sourceName + " answers the bot, so it is up: the path from " + name + " to " + sourceName
                        + " is broken (firewall, DNS, bind-address, max_connections). Replication resumes by itself "
                        + "once " + name + " can reach it."
                : sourceName + " is down or unreachable from " + name + "; replication resumes by itself "
                        + "when it is back.";
        return Optional.of(node.finding(FindingKind.SOURCE_UNREACHABLE,
                name + " cannot connect to " + sourceName,
                name + "'s IO thread keeps retrying the connection to " + sourceName + " ("
                        + ch.sourceHost() + ":" + ch.sourcePort() + "). " + why,
                e.evidence()));
    }

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        if (node.channel().ioThread() != ThreadState.CONNECTING) {
            return Optional.empty();
        }
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.SOURCE_UNREACHABLE,
                name + " is still connecting to " + sourceName,
                "The IO thread has not connected to its source yet. If this lasts, "
                        + sourceName + " is down or unreachable from " + name + ".",
                node.threadEvidence()));
    }
}
