package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/**
 * MySQL 8's caching_sha2_password refuses a plain-text login that its in-memory cache cannot
 * vouch for: "Authentication plugin 'caching_sha2_password' reported error: Authentication
 * requires secure connection." (CR_AUTH_PLUGIN_ERR, 2061). The cache empties when the source
 * restarts, so it typically appears right after one, on a channel without TLS. Not a wrong
 * password: the fix is on the replica's channel (MySQL 8.4 manual, "Caching SHA-2 Pluggable
 * Authentication"; sql/auth/sha2_password.cc).
 */
final class SourceLoginNeedsSecureConnection implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (e.error().code() != ServerErrors.AUTH_PLUGIN_ERROR
                || !e.says("caching_sha2_password", "requires secure connection")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        boolean restarted = node.source().filter(s -> s.reachable()
                && s.uptimeSeconds() < node.thresholds().recentRestartSeconds()).isPresent();
        return Optional.of(node.finding(FindingKind.SOURCE_LOGIN_NEEDS_SECURE_CONNECTION,
                name + " cannot log in to " + sourceName + " without TLS (caching_sha2_password)",
                sourceName + " authenticates the replication user with caching_sha2_password, which accepts a "
                        + "login over an unencrypted connection only while the user is in its in-memory cache"
                        + (restarted ? "; " + sourceName + " restarted recently, which emptied that cache" : "")
                        + ". The password is not wrong: " + name + "'s channel needs SOURCE_SSL=1 (TLS) or "
                        + "GET_SOURCE_PUBLIC_KEY=1 (the source's RSA key), then the IO thread logs in again.",
                e.evidence()));
    }
}
