package dev.latchkey.infrastructure.metrics;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.AuditPage;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.audit.Outcome;
import java.util.Map;

/**
 * The audit port, decorated: each event a use case records is passed on unchanged and, once stored, counted by the
 * outcome metrics it stands for — sign-ins, second factors, passkey ceremonies, tokens issued and key rotations —
 * so no use case carries metric code and the counts are exactly what the audit log says happened. An event that
 * cannot be stored throws as before and is not counted. Events written inside a repository's own transaction
 * ({@code transactWriteItem}: a passkey added, an organization changed) do not pass here; see docs/operations.md.
 *
 * <p>Only the action, the outcome and a few detail values from closed sets ({@code reason}, {@code purpose}) are
 * read; never an actor, target, address or id.
 */
public final class MeteredAuditLog implements AuditLog {

    private final AuditLog delegate;
    private final Metrics metrics;

    /**
     * @param delegate the audit log that stores
     * @param metrics where the counts go
     */
    public MeteredAuditLog(AuditLog delegate, Metrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public void record(AuditEvent event) {
        delegate.record(event);
        count(event, metrics);
    }

    @Override
    public AuditPage find(String organizationId, AuditQuery query) {
        return delegate.find(organizationId, query);
    }

    @Override
    public AuditPage findWithoutOrganization(AuditQuery query) {
        return delegate.findWithoutOrganization(query);
    }

    /** Counts what one stored event stands for (nothing for most actions). */
    static void count(AuditEvent event, Metrics metrics) {
        boolean success = event.outcome() == Outcome.SUCCESS;
        String reason = event.details().getOrDefault("reason", "");
        String failed = reason.equals("locked") || reason.equals("throttled") ? "throttled" : "failed";
        switch (event.action()) {
            case "auth.login.succeeded" -> login("password", "succeeded", metrics);
            case "auth.login.mfa_required" -> login("password", "mfa_required", metrics);
            case "auth.login.failed" -> login("password", failed, metrics);
            case "auth.passkey.succeeded", "auth.passkey.failed" -> {
                String outcome = success ? "succeeded" : failed;
                login("passkey", outcome, metrics);
                metrics.count(Meter.PASSKEY_CEREMONIES, Map.of(Dimension.CEREMONY, "authentication",
                        Dimension.OUTCOME, outcome));
            }
            case "passkey.added" -> metrics.count(Meter.PASSKEY_CEREMONIES, Map.of(Dimension.CEREMONY,
                    "registration", Dimension.OUTCOME, success ? "succeeded" : failed));
            case "mfa.verified", "mfa.verify_failed" -> metrics.count(Meter.MFA_VERIFICATIONS, Map.of(
                    Dimension.PURPOSE, event.details().getOrDefault("purpose", ""),
                    Dimension.OUTCOME, success ? "succeeded" : failed));
            case "session.started" -> token("login", success, metrics);
            case "session.refreshed" -> token("refresh_token", success, metrics);
            case "token.client_credentials" -> token("client_credentials", success, metrics);
            case "token.jwt_bearer" -> token("jwt_bearer", success, metrics);
            case "token.authorization_code" -> token("authorization_code", success, metrics);
            case "api_key.exchanged" -> token("token_exchange", success, metrics);
            case "signing_key.rotated" -> metrics.count(Meter.KEY_ROTATIONS, Map.of(Dimension.OUTCOME,
                    success ? "changed" : "failed"));
            default -> {
                // not an outcome metric
            }
        }
    }

    private static void login(String method, String outcome, Metrics metrics) {
        metrics.count(Meter.LOGINS, Map.of(Dimension.METHOD, method, Dimension.OUTCOME, outcome));
    }

    private static void token(String grantType, boolean success, Metrics metrics) {
        if (success) {
            metrics.count(Meter.TOKENS_ISSUED, Map.of(Dimension.GRANT_TYPE, grantType));
        }
    }
}
