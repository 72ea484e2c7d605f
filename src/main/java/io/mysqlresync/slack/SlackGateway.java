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
