package dev.latchkey.core.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client assertion that {@link ClientAssertions#parse} read, not yet verified: nothing in it is trusted until
 * {@link ClientAssertions#verify} accepts it. {@link #toString()} shows no claim value.
 *
 * @param algorithm {@code EdDSA} or {@code ES256}
 * @param keyId the header's {@code kid}, if any
 * @param issuer {@code iss}: the client it claims to be
 * @param subject {@code sub}
 * @param audience {@code aud}, one or more
 * @param expiresAt {@code exp}, epoch seconds
 * @param issuedAt {@code iat}, epoch seconds, if present
 * @param notBefore {@code nbf}, epoch seconds, if present
 * @param jwtId {@code jti}
 * @param signingInput the ASCII bytes of {@code header.payload}
 * @param signature the decoded signature
 */
public record ParsedAssertion(String algorithm, Optional<String> keyId, String issuer, String subject,
        List<String> audience, long expiresAt, Optional<Long> issuedAt, Optional<Long> notBefore, String jwtId,
        byte[] signingInput, byte[] signature) {

    /** Copies the arrays and the audience. */
    public ParsedAssertion {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        audience = List.copyOf(audience);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(jwtId, "jwtId");
        signingInput = signingInput.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] signingInput() {
        return signingInput.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** The algorithm only: claim values come from an unauthenticated caller. */
    @Override
    public String toString() {
        return "ParsedAssertion[" + algorithm + ", <redacted>]";
    }
}
