package dev.latchkey.core.session;

import java.util.List;
import java.util.Objects;

/**
 * Input of {@link StartSession}, from a login that has just authenticated the user.
 *
 * @param user the user's id, email and name (echoed in the token response)
 * @param organizationId the user's organization: the access tokens' {@code org}
 * @param amr how the user authenticated (RFC 8176), such as {@code ["pwd"]} or {@code ["hwk", "user"]}
 * @param sourceIp the caller's address (API Gateway {@code sourceIp}), for the audit event
 * @param requestId the request id, for the audit event
 */
public record StartSessionCommand(UserProfile user, String organizationId, List<String> amr, String sourceIp,
        String requestId) {

    /** Checks nothing is missing; the ids' shapes are checked by {@link Session}. */
    public StartSessionCommand {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(organizationId, "organizationId");
        amr = List.copyOf(Objects.requireNonNull(amr, "amr"));
        sourceIp = sourceIp == null ? "" : sourceIp;
        requestId = requestId == null ? "" : requestId;
    }
}
