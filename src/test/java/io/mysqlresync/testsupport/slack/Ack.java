package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * The app's acknowledgement of one delivery of an envelope.
 *
 * @param envelopeId   echoed by the app
 * @param retryAttempt which delivery this ack answers (acks are matched to the oldest unacked
 *                     delivery of the same envelope id)
 * @param latency      from just before the fake sent the frame to when the ack frame arrived,
 *                     both measured with {@link System#nanoTime()}
 * @param payload      the ack's {@code payload} (e.g. {@code {"text":...}}), a missing node if none
 * @param raw          the exact text frame received
 */
public record Ack(String envelopeId, int retryAttempt, Duration latency, JsonNode payload, long receivedNanos,
                  String raw) {

    public boolean hasPayload() {
        return !payload.isMissingNode() && !payload.isNull();
    }
}
