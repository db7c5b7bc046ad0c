package dev.latchkey.core.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /v1/orgs/{orgId}/clients/{clientId}/keys}: exactly one of a public JWK or a PEM certificate.
 *
 * @param jwk the public JWK's members
 * @param certificate the PEM text
 */
public record NewClientKey(Optional<Map<String, Object>> jwk, Optional<String> certificate) {

    /**
     * Checks that exactly one is given.
     *
     * @throws ClientException 400
     */
    public NewClientKey {
        Objects.requireNonNull(jwk, "jwk");
        Objects.requireNonNull(certificate, "certificate");
        if (jwk.isPresent() == certificate.isPresent()) {
            throw ClientException.invalid("body", "ONE_OF", "Give exactly one of 'jwk' and 'certificate'.");
        }
        jwk = jwk.map(members -> Collections.unmodifiableMap(new LinkedHashMap<>(members)));
    }

    /** Where the key came from, for the audit event: {@code jwk} or {@code certificate}. */
    public String source() {
        return jwk.isPresent() ? "jwk" : "certificate";
    }
}
