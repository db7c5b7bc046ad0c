package dev.latchkey.core.account;

import java.util.Objects;

/**
 * What every mailed one-time token (verification, password reset, invitation) is: the token value, only for the
 * mail; its SHA-256, the stored lookup key (the token has full entropy, so a fast hash is enough and a leaked table
 * holds nothing usable); equality in constant time, and only between tokens of the same kind; a redacted
 * {@link #toString()}. Subclasses add their prefix, {@code generate} and {@code parse} ({@link OneTimeTokens}).
 */
public abstract class OneTimeToken {

    private final String value;

    /** @param value a well-formed token of the subclass's kind */
    protected OneTimeToken(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The token itself, for the mail only. */
    public final String value() {
        return value;
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes: the stored lookup key. */
    public final String hash() {
        return OneTimeTokens.sha256Hex(value);
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && OneTimeTokens.same(((OneTimeToken) other).value,
                value);
    }

    @Override
    public final int hashCode() {
        return Objects.hash(value);
    }

    /** Redacted: the kind of token, never the token. */
    @Override
    public final String toString() {
        return getClass().getSimpleName() + "[<redacted>]";
    }
}
