package io.mysqlresync.config;

import java.time.Duration;
import java.util.List;

/**
 * @param approvers     Slack user IDs allowed to approve
 * @param approverGroup a Slack user group ID whose members may approve (optional)
 * @param twoPersonRule whoever asked for a plan may not approve it
 * @param planExpiry    an unapproved plan older than this is refused
 */
public record ApprovalSettings(List<String> approvers, String approverGroup, boolean twoPersonRule,
                               Duration planExpiry) {
}
