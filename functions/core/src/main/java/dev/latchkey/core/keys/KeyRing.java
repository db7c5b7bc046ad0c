package dev.latchkey.core.keys;

import dev.latchkey.core.token.SigningAlgorithm;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every signing key as one consistent snapshot, with the version its store keeps. Every change to
 * the ring is written as one conditional transaction on that version, so at most one key per
 * {@link SigningAlgorithm} is ever {@code ACTIVE} and at most one {@code NEXT}, however many rotations run at once.
 *
 * @param version the snapshot's version (0 for an empty ring never written)
 * @param keys every stored key
 */
public record KeyRing(long version, List<SigningKey> keys) {

    /** Copies and checks the invariants. */
    public KeyRing {
        keys = keys.stream().sorted(Comparator.comparing(SigningKey::createdAt).thenComparing(SigningKey::kid))
                .toList();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            if (count(keys, algorithm, SigningKeyState.ACTIVE) > 1
                    || count(keys, algorithm, SigningKeyState.NEXT) > 1) {
                throw new IllegalStateException("key ring holds more than one active or next " + algorithm + " key");
            }
        }
        if (keys.stream().map(SigningKey::kid).distinct().count() != keys.size()) {
            throw new IllegalStateException("key ring holds a kid twice");
        }
    }

    /** An empty ring. */
    public static KeyRing empty() {
        return new KeyRing(0, List.of());
    }

    /** The ES256 key that signs access tokens now. */
    public Optional<SigningKey> active() {
        return active(SigningAlgorithm.ES256);
    }

    /** The ES256 key published ahead of its turn. */
    public Optional<SigningKey> next() {
        return next(SigningAlgorithm.ES256);
    }

    /** The key of {@code algorithm} that signs now. */
    public Optional<SigningKey> active(SigningAlgorithm algorithm) {
        return first(algorithm, SigningKeyState.ACTIVE);
    }

    /** The key of {@code algorithm} published ahead of its turn. */
    public Optional<SigningKey> next(SigningAlgorithm algorithm) {
        return first(algorithm, SigningKeyState.NEXT);
    }

    /** The key with this kid. */
    public Optional<SigningKey> byKid(String kid) {
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst();
    }

    /**
     * The keys JWKS publishes at {@code now}: next, active, and retired keys younger than
     * {@code retention} — oldest first.
     */
    public List<SigningKey> published(Instant now, Duration retention) {
        return keys.stream().filter(k -> k.isPublishedAt(now, retention)).toList();
    }

    private Optional<SigningKey> first(SigningAlgorithm algorithm, SigningKeyState state) {
        return keys.stream().filter(k -> k.algorithm() == algorithm && k.state() == state).findFirst();
    }

    private static long count(List<SigningKey> keys, SigningAlgorithm algorithm, SigningKeyState state) {
        return keys.stream().filter(k -> k.algorithm() == algorithm && k.state() == state).count();
    }
}
