package io.mysqlresync.testsupport.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One Web API call as the fake Slack received it.
 *
 * @param method        e.g. {@code chat.postMessage}
 * @param params        form fields or top-level JSON fields; JSON values that are not strings
 *                      (e.g. {@code blocks} sent as JSON) are kept as their JSON text, which is
 *                      also how the SDK sends them form-encoded, so both read the same
 * @param token         from {@code Authorization: Bearer}, else the {@code token} parameter; "" if none
 * @param contentType   the request's Content-Type, "" if none
 * @param receivedAt    wall clock when the request arrived
 * @param receivedNanos {@link System#nanoTime()} when the request arrived, to compare with acks
 * @param fault         the fault applied to this call, if any
 */
public record ApiCall(
        String method,
        Map<String, String> params,
        String token,
        String contentType,
        Instant receivedAt,
        long receivedNanos,
        Optional<Fault> fault) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ApiCall {
        params = Map.copyOf(params);
    }

    /** The parameter's value, or null if the call did not carry it. */
    public String param(String name) {
        return params.get(name);
    }

    /** The parameter parsed as JSON (e.g. {@code blocks}), or a missing node if absent. */
    public JsonNode jsonParam(String name) {
        String value = params.get(name);
        if (value == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(method + " param " + name + " is not JSON: " + value, e);
        }
    }
}
