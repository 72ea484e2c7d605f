package io.mysqlresync.recovery;

import io.mysqlresync.diagnosis.Finding;

import java.util.List;

/**
 * SOURCE_LOGIN_NEEDS_SECURE_CONNECTION (2061, caching_sha2_password): turn TLS on for the
 * replica's channel and reconnect. Host, user and password stay as they are.
 */
final class SecureSourceLogin implements Recipe {

    @Override
    public void addTo(Situation at, PlanDraft plan) {
        Finding f = at.finding();
        SqlDialect sql = at.sql();
        plan.safeStep(new NodeStep(f.node(), f.kind(),
                "Make " + f.node() + " log in to " + f.sourceNode() + " over TLS, which caching_sha2_password accepts",
                List.of(sql.stopIoThread(), sql.requireSourceTls(), sql.startIoThread())));
        plan.safeRisk("If " + f.sourceNode() + " has no TLS certificate, the IO thread fails with error 2026 instead: "
                + "then use " + sql.fetchSourcePublicKey() + " (the password travels RSA-encrypted, the data in clear).");
    }
}
