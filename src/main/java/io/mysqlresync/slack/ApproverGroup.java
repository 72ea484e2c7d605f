package io.mysqlresync.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Membership of the approver user group ({@code ApprovalSettings.approverGroup}), asked of Slack
 * (usergroups.users.list) and cached briefly: a burst of clicks costs one call, and someone
 * removed from the group loses approval within {@code ttl}. When Slack cannot be asked, nobody
 * is a member (fail closed); listed approvers are unaffected.
 */
final class ApproverGroup {

    private static final Logger log = LoggerFactory.getLogger(ApproverGroup.class);

    private final String groupId;
    private final Function<String, Optional<List<String>>> fetch;
    private final Duration ttl;
    private final Clock clock;
    private Set<String> members = Set.of();
    private Instant fetchedAt = Instant.MIN;

    ApproverGroup(String groupId, Function<String, Optional<List<String>>> fetch, Duration ttl, Clock clock) {
        this.groupId = groupId == null ? "" : groupId.trim();
        this.fetch = fetch;
        this.ttl = ttl;
        this.clock = clock;
    }

    boolean configured() {
        return !groupId.isEmpty();
    }

    /** Called off the ack path: it may call Slack. */
    synchronized boolean contains(String userId) {
        if (!configured()) return false;
        Instant now = clock.instant();
        if (fetchedAt.equals(Instant.MIN) || !now.isBefore(fetchedAt.plus(ttl))) {
            Optional<List<String>> fresh = fetch.apply(groupId);
            if (fresh.isPresent()) {
                members = Set.copyOf(fresh.get());
                fetchedAt = now;
            } else {
                log.warn("could not read approver group {} from Slack: treating {} as not a member", groupId, userId);
                members = Set.of();
                fetchedAt = Instant.MIN;
                return false;
            }
        }
        return members.contains(userId);
    }
}
