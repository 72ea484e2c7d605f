package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Socket Mode envelope the fake Slack sent to the app.
 *
 * @param envelopeId   the id the app must echo in its ack
 * @param type         {@code slash_commands}, {@code interactive}, {@code events_api}
 * @param retryAttempt 0 for the first delivery, n for the n-th redelivery
 * @param payload      the payload as sent (do not modify)
 * @param json         the exact text frame sent
 */
public record Envelope(String envelopeId, String type, int retryAttempt, JsonNode payload, String json) {

    public String responseUrl() {
        return payload.path("response_url").asText();
    }

    public String triggerId() {
        return payload.path("trigger_id").asText();
    }
}
