package dev.latchkey.core.authorize;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;

/**
 * Where authorization codes live between the redirect and the token request (DynamoDB in Lambda, with a TTL). Each
 * code is consumed at most once: the first {@link #consume} of a hash returns {@link Consumed#firstUse} true, every
 * later one false, atomically (a conditional write), so two token requests racing with one code get one answer.
 */
public interface AuthorizationCodes {

    /** Stores a new code. */
    void save(AuthorizationCode code);

    /**
     * Marks the code used and returns it, or empty when no such code exists (never issued, or gone after its expiry).
     */
    Optional<Consumed> consume(String codeHash);

    /**
     * Records what the first redemption issued (the refresh-token family or session), so a replay can revoke it
     * (RFC 6749 §4.1.2, RFC 9700 §4.5.3).
     */
    void recordIssued(String codeHash, String issuedGrant);

    /**
     * A consumed code.
     *
     * @param code the stored code
     * @param firstUse whether this consumption was the first
     * @param issuedGrant what the first redemption issued, when recorded
     */
    record Consumed(AuthorizationCode code, boolean firstUse, Optional<String> issuedGrant) {
    }

    /** The stored form of a code: base64url SHA-256 of its ASCII bytes. */
    static String hash(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
