package dev.latchkey.core.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A client assertion (RFC 7523 §3) whose signature and claims checked out.
 *
 * @param clientId {@code iss} = {@code sub}: the client it authenticates
 * @param jwtId its {@code jti}, single use until {@code expiresAt}
 * @param expiresAt its {@code exp}
 * @param keyId the {@code ck_…} id of the registered key that verified it
 */
public record ClientAssertion(String clientId, String jwtId, Instant expiresAt, String keyId) {

    /** Checks that nothing is missing. */
    public ClientAssertion {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(jwtId, "jwtId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(keyId, "keyId");
    }
}
