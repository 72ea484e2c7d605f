package io.mysqlresync.diagnosis;

import io.mysqlresync.replication.ServerErrors;

import java.util.Optional;

/**
 * The replica reaches its source but the TLS handshake fails (CR_SSL_CONNECTION_ERROR, 2026:
 * certificate, CA, cipher or protocol version). A configuration fault: unlike a network outage
 * it never clears by itself (libmysql errmsg.h; MySQL manual, "Configuring Replication to Use
 * Encrypted Connections").
 */
final class SourceTlsFailure implements ErrorRule {

    @Override
    public Optional<Finding> diagnose(ThreadError e) {
        if (e.error().code() != ServerErrors.SSL_CONNECTION_ERROR && !e.says("ssl connection error")) {
            return Optional.empty();
        }
        NodeFacts node = e.node();
        String name = node.name();
        String sourceName = node.sourceName();
        return Optional.of(node.finding(FindingKind.SOURCE_TLS_FAILURE,
                name + " cannot open a TLS connection to " + sourceName,
                name + " reaches " + sourceName + " but the TLS handshake fails: a certificate, CA, cipher or "
                        + "TLS version does not match between the channel's SOURCE_SSL_* settings and "
                        + sourceName + "'s. This is configuration, not an outage: it will not resume by itself. "
                        + "The server said: " + NodeFacts.clip(e.error().message()),
                e.evidence()));
    }
}
