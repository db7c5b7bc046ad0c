package dev.latchkey.core.passkey;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A stored WebAuthn challenge ({@code CHALLENGE#<id>} / {@code CHALLENGE}, docs/data-model.md): issued by an
 * options call, spent by exactly one verify call (a conditional delete), useless after {@link #expiresAt} even
 * while its item still exists (DynamoDB's TTL deletes late).
 *
 * @param id {@code chl_} + 26 Crockford base32 characters of 128 random bits ({@link #newId}); not
 *     time-ordered, so one caller's id says nothing about another's
 * @param ceremony what it may be spent on
 * @param challenge the random challenge, base64url without padding ({@value #CHALLENGE_BYTES} bytes;
 *     WebAuthn L3 §13.4.3 asks for at least 16)
 * @param userId registration: the signed-in user it was issued to (only that user can spend it); login: the
 *     user an email named ({@link #UNKNOWN_USER} when no account has the address), empty for a usernameless
 *     login
 * @param userHandle registration only: the user's WebAuthn user handle ({@code user.id}), base64url
 * @param createdAt when it was issued
 * @param expiresAt when it stops working; stored to the second (also the item's TTL)
 */
public record PasskeyChallenge(String id, Ceremony ceremony, String challenge, Optional<String> userId,
        Optional<String> userHandle, Instant createdAt, Instant expiresAt) {

    /** Random bytes per challenge. */
    public static final int CHALLENGE_BYTES = 32;
    /** The shape of {@link #id}. */
    public static final Pattern ID = Pattern.compile("chl_[0-9A-HJKMNP-TV-Z]{26}");
    /**
     * The user a login challenge names when the email belongs to no account: a user id that never exists (all
     * zeros), so no credential can match it.
     */
    public static final String UNKNOWN_USER = "usr_00000000000000000000000000";

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    /** Checks the fields. */
    public PasskeyChallenge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ceremony, "ceremony");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userHandle, "userHandle");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("challenge id must match " + ID.pattern());
        }
        if (ceremony == Ceremony.REGISTRATION && (userId.isEmpty() || userHandle.isEmpty())) {
            throw new IllegalArgumentException("a registration challenge names its user and user handle");
        }
    }

    /** A new random challenge id. */
    public static String newId(SecureRandom random) {
        byte[] bytes = new byte[17];
        random.nextBytes(bytes);
        bytes[0] = 0;
        java.math.BigInteger value = new java.math.BigInteger(1, bytes);
        char[] text = new char[26];
        for (int i = 25; i >= 0; i--) {
            text[i] = CROCKFORD[value.intValue() & 31];
            value = value.shiftRight(5);
        }
        return "chl_" + new String(text);
    }

    /** A new random challenge value, base64url. */
    public static String newChallenge(SecureRandom random) {
        byte[] bytes = new byte[CHALLENGE_BYTES];
        random.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /** Whether it no longer works at {@code now} (at or after {@link #expiresAt}). */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Never prints the challenge value. */
    @Override
    public String toString() {
        return "PasskeyChallenge[" + id + ", " + ceremony + ", user=" + userId.orElse("-") + ", expiresAt="
                + expiresAt + "]";
    }
}
