package dev.latchkey.core.account;

import java.time.Instant;

/**
 * A pending email verification as stored ({@code CHALLENGE#<tokenHash>} / {@code CHALLENGE}, purpose
 * {@value #PURPOSE}): which user and which address the token was issued for, and until when.
 *
 * @param tokenHash {@link VerificationToken#hash()}: 64 lower-case hex characters
 * @param userId {@code usr_…}
 * @param canonicalEmail {@link EmailAddress#canonical()} of the user's address when the token was
 *     issued; a token for an address the user no longer has is refused
 * @param createdAt when it was issued
 * @param expiresAt when it stops working (also the item's TTL)
 */
public record EmailVerificationChallenge(String tokenHash, String userId, String canonicalEmail, Instant createdAt,
        Instant expiresAt) implements EmailChallenge {

    /** The challenge item's purpose. */
    public static final String PURPOSE = "email-verification";

    /** Validates the fields ({@link EmailChallenge#validate}). */
    public EmailVerificationChallenge {
        EmailChallenge.validate(tokenHash, userId, canonicalEmail, createdAt, expiresAt);
    }

    /** Without the address. */
    @Override
    public String toString() {
        return "EmailVerificationChallenge[userId=" + userId + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + "]";
    }
}
