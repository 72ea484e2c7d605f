package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A POST to a {@code response_url} the fake handed out with a slash command or block action.
 *
 * @param envelopeId the envelope whose payload carried this response_url
 * @param body       the JSON body (e.g. {@code text}, {@code response_type}, {@code replace_original})
 */
public record ResponseUrlPost(String envelopeId, JsonNode body, Instant receivedAt, long receivedNanos) {
}
