package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.NodeAddress;
import io.mysqlresync.replication.NodeStatus;
import io.mysqlresync.replication.ReplicaChannel;
import io.mysqlresync.replication.ServerErrors;
import io.mysqlresync.replication.StatusField;
import io.mysqlresync.replication.ThreadState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The replica follows (or tries to reach) another server than its configured source. Without
 * this rule a wrong Master_Port reads as "node1 is down... replication resumes by itself" while
 * node1 is healthy, and nothing resumes. Two checks:
 * <ul>
 *   <li>server identity: Master_Server_Id (the server the IO thread last connected to) is not
 *       the configured source's {@code @@server_id}: it replicates from another server;</li>
 *   <li>address, when the IO thread finds no server at all (2002, 2003, 2005) but the source answers the bot:
 *       Master_Host/Master_Port differ from the source's configured address. Host names are
 *       compared as written (the core resolves no DNS): an alias can differ in spelling only,
 *       which the explanation says.</li>
 * </ul>
 * While replication runs and the server id matches, differing addresses are aliases, NAT or a
 * proxy, and are not reported. Asked first at the IO error and the no-error stages.
 */
final class WrongSource implements ErrorRule, NodeRule {

    private static final Set<Integer> NO_SERVER_AT_THAT_ADDRESS = Set.of(ServerErrors.CONNECT_HOST_ERROR,
            ServerErrors.CONNECTION_ERROR, ServerErrors.UNKNOWN_HOST);

    /** Evidence name for the configured source address; the recipe quotes it. */
    static final String CONFIGURED_ADDRESS = "configured address";

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        return diagnose(e.node());
    }

    @Override
    public Optional<Finding> diagnose(NodeFacts node) {
        String sourceName = node.sourceName();
        Optional<NodeStatus> source = node.source().filter(NodeStatus::reachable);
        if (sourceName.isEmpty() || source.isEmpty()) {
            return Optional.empty(); // an unreachable source is another finding's business
        }
        if (!followsConfiguredSource(node)) {
            return Optional.empty(); // a further named channel replicates from a server the configuration does not name
        }
        ReplicaChannel ch = node.channel();
        String name = node.name();
        Optional<NodeAddress> configured = node.cluster().address(sourceName);
        long actualId = ch.sourceServerId();
        long expectedId = source.get().serverId();
        String pointedAt = ch.sourceHost() + ":" + ch.sourcePort();

        if (actualId != 0 && expectedId != 0 && actualId != expectedId) {
            return Optional.of(node.finding(FindingKind.WRONG_SOURCE,
                    name + " replicates from server id " + actualId + ", not from " + sourceName
                            + " (server id " + expectedId + ")",
                    name + "'s replication last connected to " + pointedAt + ", a server with @@server_id "
                            + actualId + "; the configured source " + sourceName + " has @@server_id " + expectedId
                            + ". " + name + " is following another server: whatever it applied did not come from "
                            + sourceName + ". Find out which server " + pointedAt + " is before changing anything.",
                    evidence(node, source.get(), configured)));
        }
        // Only when the replica reached no server at all: any other error (1236, 2061, 1045...) is a
        // server answering, so the address is right, and a differing spelling is an alias or NAT.
        if (ch.ioThread() == ThreadState.RUNNING || configured.isEmpty()
                || !NO_SERVER_AT_THAT_ADDRESS.contains(ch.ioError().code())) {
            return Optional.empty();
        }
        NodeAddress want = configured.get();
        boolean portDiffers = ch.sourcePort() != want.port();
        boolean hostDiffers = !sameHost(ch.sourceHost(), want.host());
        if (!portDiffers && !hostDiffers) {
            return Optional.empty();
        }
        String what = portDiffers && hostDiffers ? "host and port" : portDiffers ? "port" : "host";
        String explanation = sourceName + " answers the bot (server id " + expectedId + ", read just now), so "
                + "this is not an outage: " + name + "'s replication settings name " + pointedAt
                + ", where it finds no server, while " + sourceName + " is configured at " + want
                + ". Replication does not resume by itself until the " + what + " is corrected on " + name + ".";
        explanation += " (Unless " + pointedAt + " is how " + name + " reaches " + sourceName
                + " and the configuration names it differently, as with NAT or a proxy: then the path from "
                + name + " to " + sourceName + " is broken: DNS, firewall, bind-address.)";
        return Optional.of(node.finding(FindingKind.WRONG_SOURCE,
                name + " points at " + pointedAt + ", not at " + sourceName + " (" + want + ")",
                explanation, evidence(node, source.get(), configured)));
    }

    private static List<Evidence> evidence(NodeFacts node, NodeStatus source, Optional<NodeAddress> configured) {
        ReplicaChannel ch = node.channel();
        List<Evidence> ev = new ArrayList<>();
        ev.add(node.field(StatusField.SOURCE_HOST, ch.sourceHost()));
        ev.add(node.field(StatusField.SOURCE_PORT, Integer.toString(ch.sourcePort())));
        ev.add(node.field(StatusField.SOURCE_SERVER_ID, Long.toString(ch.sourceServerId())));
        ev.addAll(node.threadEvidence());
        if (ch.ioError().present()) {
            ev.add(node.field(StatusField.LAST_IO_ERROR, NodeFacts.clip(ch.ioError().message())));
        }
        configured.ifPresent(a -> ev.add(new Evidence(source.node() + " " + CONFIGURED_ADDRESS, a.toString())));
        ev.add(new Evidence(source.node() + " @@server_id", Long.toString(source.serverId())));
        return ev;
    }

    /**
     * The configuration names one source per node: the default channel's, or the only channel's
     * when a node has just one (a MySQL channel that has a name).
     */
    private static boolean followsConfiguredSource(NodeFacts node) {
        return node.channelName().isEmpty() || node.status().channels().size() == 1;
    }

    /** The same spelling, or two names of this machine's loopback (localhost, 127.x.x.x, ::1). */
    static boolean sameHost(String a, String b) {
        String x = a == null ? "" : a.trim().toLowerCase(Locale.ROOT);
        String y = b == null ? "" : b.trim().toLowerCase(Locale.ROOT);
        return x.equals(y) || (loopback(x) && loopback(y));
    }

    private static boolean loopback(String h) {
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }
}
