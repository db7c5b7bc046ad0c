package dev.latchkey.core.passkey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link PasskeyChallenges}: {@link #consume} removes atomically (synchronized) and only on a match of
 * ceremony and user, like the adapter's conditional delete; expired challenges stay until consumed, like items
 * DynamoDB's TTL has not deleted yet.
 */
public final class InMemoryPasskeyChallenges implements PasskeyChallenges {

    private final Map<String, PasskeyChallenge> challenges = new LinkedHashMap<>();

    @Override
    public synchronized void save(PasskeyChallenge challenge) {
        if (challenges.putIfAbsent(challenge.id(), challenge) != null) {
            throw new IllegalStateException("challenge id collision");
        }
    }

    @Override
    public synchronized Optional<PasskeyChallenge> consume(String challengeId, Ceremony ceremony,
            Optional<String> userId) {
        PasskeyChallenge stored = challenges.get(challengeId);
        if (stored == null || stored.ceremony() != ceremony
                || (userId.isPresent() && !stored.userId().equals(userId))) {
            return Optional.empty();
        }
        challenges.remove(challengeId);
        return Optional.of(stored);
    }

    /** The stored (unspent) challenge with this id. */
    public synchronized Optional<PasskeyChallenge> find(String challengeId) {
        return Optional.ofNullable(challenges.get(challengeId));
    }

    /** Every unspent challenge. */
    public synchronized List<PasskeyChallenge> all() {
        return List.copyOf(challenges.values());
    }
}
