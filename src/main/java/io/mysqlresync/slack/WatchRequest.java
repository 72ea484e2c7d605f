package io.mysqlresync.slack;

/**
 * Someone asked to follow a cluster's lag ({@code /mysql-resync watch <cluster>}). The app hands
 * it to the progress scheduler, which posts progress through the {@code Notifier}.
 *
 * @param channel     where the command was typed: the progress message goes there
 * @param threadTs    the thread to post in, empty for the channel itself
 * @param requestedBy Slack user ID
 */
public record WatchRequest(String cluster, String channel, String threadTs, String requestedBy) {
    public WatchRequest {
        threadTs = threadTs == null ? "" : threadTs;
    }
}
