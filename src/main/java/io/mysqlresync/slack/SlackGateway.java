package io.mysqlresync.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.usergroups.users.UsergroupsUsersListResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The Web API calls the bot makes, each one never throwing: Slack being down or rate limiting
 * must not break a plan run, a scheduler job or a command. A rate-limited call waits once for
 * Slack's Retry-After (when it is short enough) and tries again; then it gives up with a log
 * line. Logged: the method, what it was for, and Slack's error code; never a request (SDK
 * request objects carry the token) nor a token.
 */
final class SlackGateway {

    private static final Logger log = LoggerFactory.getLogger(SlackGateway.class);

    /** Slack's own guidance when a 429 comes without Retry-After. */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    @FunctionalInterface
    interface Call<T> {
        T call() throws IOException, SlackApiException;
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final MethodsClient client;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;

    /**
     * @param client        a client holding the bot token
     * @param maxRetryAfter longer Retry-After values are not waited for: the caller (a scheduler
     *                      thread, a plan run) would be held too long
     */
    SlackGateway(MethodsClient client, Duration maxRetryAfter, Sleeper sleeper) {
        this.client = client;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
    }

    /** Posts a message, in a thread when {@code threadTs} is not empty; returns its ts. */
    Optional<String> post(String channel, String threadTs, SlackMessage m, String what) {
        return call("chat.postMessage", what, () -> client.chatPostMessage(r -> {
            r.channel(channel).text(m.text()).blocks(m.blocks());
            if (threadTs != null && !threadTs.isEmpty()) r.threadTs(threadTs);
            return r;
        })).map(ChatPostMessageResponse::getTs);
    }

    /** A plain text message, in a thread when {@code threadTs} is not empty. */
    Optional<String> reply(String channel, String threadTs, String text, String what) {
        return call("chat.postMessage", what, () -> client.chatPostMessage(r -> {
            r.channel(channel).text(text);
            if (threadTs != null && !threadTs.isEmpty()) r.threadTs(threadTs);
            return r;
        })).map(ChatPostMessageResponse::getTs);
    }

    boolean update(String channel, String ts, SlackMessage m, String what) {
        return call("chat.update", what, () -> client.chatUpdate(r -> r.channel(channel).ts(ts)
                .text(m.text()).blocks(m.blocks()))).isPresent();
    }

    /** Only {@code user} sees it: refusals and errors for the one who clicked or typed. */
    boolean ephemeral(String channel, String user, String text, String what) {
        return call("chat.postEphemeral", what, () -> client.chatPostEphemeral(r -> r.channel(channel).user(user)
                .text(text))).isPresent();
    }

    Optional<List<String>> usergroupMembers(String usergroup) {
        return call("usergroups.users.list", "approver group " + usergroup,
                () -> client.usergroupsUsersList(r -> r.usergroup(usergroup)))
                .map(UsergroupsUsersListResponse::getUsers)
                .map(users -> users == null ? List.<String>of() : List.copyOf(users));
    }

    /**
     * How one Web API call ended, for the outbox, which must tell "Slack said no" (out of the queue:
     * trying again cannot help) from "Slack could not be reached" (try again later, in order).
     */
    sealed interface Outcome<T> {
        record Sent<T>(T response) implements Outcome<T> { }

        record Refused<T>(String error) implements Outcome<T> { }

        /** {@code retryAfter} is Slack's own wait when it gave one, else zero. */
        record Unreachable<T>(String why, Duration retryAfter) implements Outcome<T> { }
    }

    /** Slack's errors that mean "not now" rather than "not this message". */
    private static final java.util.Set<String> TRANSIENT_ERRORS = java.util.Set.of("ratelimited", "rate_limited",
            "internal_error", "fatal_error", "service_unavailable", "request_timeout");

    /** One try, no waiting: the outbox decides when to try again. Never throws. */
    <T extends SlackApiTextResponse> Outcome<T> attempt(String method, String what, Call<T> call) {
        try {
            T response = call.call();
            if (response.isOk()) {
                return new Outcome.Sent<>(response);
            }
            String error = response.getError();
            if (TRANSIENT_ERRORS.contains(error)) {
                return new Outcome.Unreachable<>(method + ": " + error, Duration.ZERO);
            }
            log.warn("Slack {} for {} refused: {}", method, what, error);
            return new Outcome.Refused<>(method + ": " + error);
        } catch (SlackApiException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().code();
            if (status == 429) {
                return new Outcome.Unreachable<>(method + ": HTTP 429", retryAfter(e));
            }
            if (status >= 500 || status == 0 || status == 408) {
                return new Outcome.Unreachable<>(method + ": HTTP " + status, Duration.ZERO);
            }
            String error = e.getError() != null && e.getError().getError() != null ? " " + e.getError().getError() : "";
            log.warn("Slack {} for {} refused: HTTP {}{}", method, what, status, error);
            return new Outcome.Refused<>(method + ": HTTP " + status + error);
        } catch (IOException e) {
            return new Outcome.Unreachable<>(method + ": " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    Duration.ZERO);
        } catch (RuntimeException e) {
            log.warn("Slack {} for {} failed unexpectedly: {}", method, what, e.toString());
            return new Outcome.Refused<>(method + ": " + e.getClass().getSimpleName());
        }
    }

    Outcome<ChatPostMessageResponse> tryPost(String channel, String threadTs, SlackMessage m, String what) {
        return attempt("chat.postMessage", what, () -> client.chatPostMessage(r -> {
            r.channel(channel).text(m.text());
            if (!m.blocks().isEmpty()) r.blocks(m.blocks());
            if (threadTs != null && !threadTs.isEmpty()) r.threadTs(threadTs);
            return r;
        }));
    }

    Outcome<com.slack.api.methods.response.chat.ChatUpdateResponse> tryUpdate(String channel, String ts, SlackMessage m,
                                                                               String what) {
        return attempt("chat.update", what, () -> client.chatUpdate(r -> r.channel(channel).ts(ts)
                .text(m.text()).blocks(m.blocks())));
    }

    <T extends SlackApiTextResponse> Optional<T> call(String method, String what, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            try {
                T response = call.call();
                if (response.isOk()) {
                    return Optional.of(response);
                }
                String error = response.getError();
                if (!("ratelimited".equals(error) || "rate_limited".equals(error))) {
                    log.warn("Slack {} for {} failed: {}", method, what, error);
                    return Optional.empty();
                }
                wait = DEFAULT_RETRY_AFTER;
            } catch (SlackApiException e) {
                int status = e.getResponse() == null ? 0 : e.getResponse().code();
                if (status != 429) {
                    log.warn("Slack {} for {} failed: HTTP {}{}", method, what, status,
                            e.getError() != null && e.getError().getError() != null ? " " + e.getError().getError() : "");
                    return Optional.empty();
                }
                wait = retryAfter(e);
            } catch (IOException e) {
                log.warn("Slack {} for {} failed: {}: {}", method, what, e.getClass().getSimpleName(), e.getMessage());
                return Optional.empty();
            } catch (RuntimeException e) {
                log.warn("Slack {} for {} failed unexpectedly: {}", method, what, e.toString());
                return Optional.empty();
            }
            if (attempt > 1) {
                log.warn("Slack {} for {} still rate limited after waiting once; giving up", method, what);
                return Optional.empty();
            }
            if (wait.compareTo(maxRetryAfter) > 0) {
                log.warn("Slack {} for {} rate limited with Retry-After {} s, more than the {} s this call may wait; giving up",
                        method, what, wait.toSeconds(), maxRetryAfter.toSeconds());
                return Optional.empty();
            }
            log.info("Slack {} for {} rate limited; retrying once after {} ms", method, what, wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.warn("Slack {} for {} interrupted while waiting out a rate limit; giving up", method, what);
                return Optional.empty();
            }
        }
    }

    private static Duration retryAfter(SlackApiException e) {
        String header = e.getResponse().header("Retry-After");
        if (header == null) return DEFAULT_RETRY_AFTER;
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            return DEFAULT_RETRY_AFTER;
        }
    }
}
