package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message as it currently stands in the fake channel: after {@code chat.postMessage} and any
 * later {@code chat.update}s.
 *
 * @param blocks a JSON array, empty if the message has none
 */
public record PostedMessage(String channel, String ts, String text, JsonNode blocks) {
}
