package dev.latchkey.core.apikey;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The keyed hashes a key is checked against: the current secret's, and after a roll the previous
 * secret's until its grace ends. Never printed.
 *
 * @param current hash of the current secret
 * @param previous hash of the secret before the last roll, while it still works
 * @param previousExpiresAt the end of the previous secret's grace: it works while now is before this
 */
public record ApiKeySecrets(byte[] current, Optional<byte[]> previous, Optional<Instant> previousExpiresAt) {

    /** Checks sizes and that previous and its expiry come together; copies the arrays. */
    public ApiKeySecrets {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(previousExpiresAt, "previousExpiresAt");
        if (current.length != ApiKeyHasher.HASH_BYTES || previous.map(p -> p.length != ApiKeyHasher.HASH_BYTES)
                .orElse(false)) {
            throw new IllegalArgumentException("hashes are " + ApiKeyHasher.HASH_BYTES + " bytes");
        }
        if (previous.isPresent() != previousExpiresAt.isPresent()) {
            throw new IllegalArgumentException("previous hash and its expiry come together");
        }
        current = current.clone();
        previous = previous.map(byte[]::clone);
    }

    /** Only a current secret. */
    public static ApiKeySecrets of(byte[] current) {
        return new ApiKeySecrets(current, Optional.empty(), Optional.empty());
    }

    /**
     * Whether a presented key's hash matches a secret that works at {@code now}. Both comparisons always
     * run, in constant time, so timing does not tell which secret matched.
     */
    public boolean accepts(byte[] hash, Instant now) {
        boolean currentMatches = ApiKeyHasher.matches(hash, current);
        boolean previousMatches = ApiKeyHasher.matches(hash, previous.orElse(new byte[ApiKeyHasher.HASH_BYTES]));
        boolean previousValid = previousExpiresAt.map(now::isBefore).orElse(false);
        return currentMatches | (previousMatches & previousValid);
    }

    @Override
    public byte[] current() {
        return current.clone();
    }

    @Override
    public Optional<byte[]> previous() {
        return previous.map(byte[]::clone);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKeySecrets that && Arrays.equals(current, that.current)
                && Arrays.equals(previous.orElse(null), that.previous.orElse(null))
                && previousExpiresAt.equals(that.previousExpiresAt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(current);
    }

    @Override
    public String toString() {
        return "ApiKeySecrets[<redacted>]";
    }
}
