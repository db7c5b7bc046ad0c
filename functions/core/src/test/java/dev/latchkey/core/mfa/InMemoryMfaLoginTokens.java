package dev.latchkey.core.mfa;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link MfaLoginTokens} in memory; {@link #consume} is an atomic remove. */
public final class InMemoryMfaLoginTokens implements MfaLoginTokens {

    private final Map<String, MfaLoginChallenge> challenges = new ConcurrentHashMap<>();

    @Override
    public void save(MfaLoginChallenge challenge) {
        if (challenges.putIfAbsent(challenge.tokenHash(), challenge) != null) {
            throw new IllegalStateException("token collision");
        }
    }

    @Override
    public Optional<MfaLoginChallenge> find(String tokenHash) {
        return Optional.ofNullable(challenges.get(tokenHash));
    }

    @Override
    public Optional<MfaLoginChallenge> consume(String tokenHash) {
        return Optional.ofNullable(challenges.remove(tokenHash));
    }
}
