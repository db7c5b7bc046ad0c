package dev.latchkey.core.login;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

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
        Instant expiresAt) {

    /** The challenge item's purpose. */
    public static final String PURPOSE = "password-reset";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    /** Validates the fields. */
    public PasswordResetChallenge {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(canonicalEmail, "canonicalEmail");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!HASH.matcher(tokenHash).matches()) {
            throw new IllegalArgumentException("token hash must be 64 lower-case hex characters");
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("expiresAt must be after createdAt");
        }
    }

    /** Whether it no longer works at {@code now} (at {@code expiresAt} it is gone). */
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Without the address. */
    @Override
    public String toString() {
        return "PasswordResetChallenge[userId=" + userId + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + "]";
    }
}
