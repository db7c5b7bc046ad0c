package dev.latchkey.core.account;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pending challenge whose token went out by email, as stored ({@code CHALLENGE#<tokenHash>} / {@code CHALLENGE}):
 * which user and which address the token was issued for, and until when. An email verification
 * ({@link EmailVerificationChallenge}) and a password reset ({@code login.PasswordResetChallenge}) are two kinds,
 * told apart by their purpose; they share these fields and rules.
 */
public interface EmailChallenge {

    /** The shape of {@link #tokenHash()}. */
    Pattern TOKEN_HASH = Pattern.compile("[0-9a-f]{64}");

    /** The token's SHA-256 hash: 64 lower-case hex characters (the token itself is never stored). */
    String tokenHash();

    /** The user the token was issued to ({@code usr_…}). */
    String userId();

    /**
     * {@link EmailAddress#canonical()} of the user's address when the token was issued; a token for an address the
     * user no longer has is refused.
     */
    String canonicalEmail();

    /** When it was issued. */
    Instant createdAt();

    /** When it stops working (also the item's TTL). */
    Instant expiresAt();

    /** Whether it no longer works at {@code now} (expiry is exclusive: at {@code expiresAt} it is gone). */
    default boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt());
    }

    /**
     * Checks the fields of a challenge (for the records' constructors).
     *
     * @throws NullPointerException for a missing field
     * @throws IllegalArgumentException for a hash that is not 64 lower-case hex characters, or an expiry not after
     *     the creation
     */
    static void validate(String tokenHash, String userId, String canonicalEmail, Instant createdAt,
            Instant expiresAt) {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(canonicalEmail, "canonicalEmail");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!TOKEN_HASH.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("token hash must be 64 lower-case hex characters");
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
    }
}
