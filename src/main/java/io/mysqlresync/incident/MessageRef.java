package io.mysqlresync.incident;

/** Where a message was posted, so it can be updated in place (Slack channel + ts; console uses a counter). */
public record MessageRef(String channel, String ts) {
    public static final MessageRef NONE = new MessageRef("", "");
}
