package io.mysqlresync.slack;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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
 * is a member (fail closed) and nothing is cached, so the next click asks again; listed
 * approvers are unaffected.
 */
final class ApproverGroup {

    private static final Logger log = LoggerFactory.getLogger(ApproverGroup.class);

    private final String groupId;
    private final Function<String, Optional<List<String>>> fetch;
    private final Cache<String, Set<String>> members;

    ApproverGroup(String groupId, Function<String, Optional<List<String>>> fetch, Duration ttl, Clock clock) {
        this.groupId = groupId == null ? "" : groupId.trim();
        this.fetch = fetch;
        this.members = Caffeine.newBuilder().expireAfterWrite(ttl)
                .ticker(() -> Duration.between(Instant.EPOCH, clock.instant()).toNanos())
                .build();
    }

    boolean configured() {
        return !groupId.isEmpty();
    }

    /** Called off the ack path: it may call Slack. */
    boolean contains(String userId) {
        if (!configured()) return false;
        // A null from the loader caches nothing: a failed read is not remembered.
        Set<String> current = members.get(groupId, id -> fetch.apply(id).map(Set::copyOf).orElse(null));
        if (current == null) {
            log.warn("could not read approver group {} from Slack: treating {} as not a member", groupId, userId);
            return false;
        }
        return current.contains(userId);
    }
}
