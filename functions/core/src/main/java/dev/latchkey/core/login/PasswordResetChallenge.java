package dev.latchkey.core.login;

import dev.latchkey.core.account.EmailChallenge;
import java.time.Instant;

/**
 * A pending password reset as stored ({@code CHALLENGE#<tokenHash>} / {@code CHALLENGE}, purpose
 * {@value #PURPOSE}).
 *
 * @param tokenHash {@link PasswordResetToken#hash()}: 64 lower-case hex characters
 * @param userId {@code usr_…}
 * @param canonicalEmail the user's canonical address when the token was issued; a token for an address
 *     the user no longer has is refused
 * @param createdAt when it was issued
 * @param expiresAt when it stops working (also the item's TTL)
 */
public record PasswordResetChallenge(String tokenHash, String userId, String canonicalEmail, Instant createdAt,
        Instant expiresAt) implements EmailChallenge {

    /** The challenge item's purpose. */
    public static final String PURPOSE = "password-reset";

    /** Validates the fields ({@link EmailChallenge#validate}). */
    public PasswordResetChallenge {
        EmailChallenge.validate(tokenHash, userId, canonicalEmail, createdAt, expiresAt);
    }

    /** Without the address. */
    @Override
    public String toString() {
        return "PasswordResetChallenge[userId=" + userId + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + "]";
    }
}
