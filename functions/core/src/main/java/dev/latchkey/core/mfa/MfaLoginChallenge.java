package dev.latchkey.core.mfa;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The pending second step of a login: stored under the hash of the {@code mfa_token} the password step answered,
 * bound to the user and to how the first step authenticated ({@code amr}, RFC 8176).
 *
 * @param tokenHash the token's SHA-256, hex (the token itself is never stored)
 * @param userId whose login it is
 * @param canonicalEmail the user's canonical email at the first step
 * @param firstFactorAmr how the first step authenticated, such as {@code ["pwd"]}
 * @param createdAt when the first step succeeded
 * @param expiresAt when the token stops working
 */
public record MfaLoginChallenge(String tokenHash, String userId, String canonicalEmail, List<String> firstFactorAmr,
        Instant createdAt, Instant expiresAt) {

    /** Checks nothing is missing. */
    public MfaLoginChallenge {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(canonicalEmail, "canonicalEmail");
        firstFactorAmr = List.copyOf(firstFactorAmr);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
