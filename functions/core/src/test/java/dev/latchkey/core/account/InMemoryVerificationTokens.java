package dev.latchkey.core.account;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link VerificationTokens}: {@link #consume} removes atomically (synchronized), like the
 * conditional delete.
 */
public final class InMemoryVerificationTokens implements VerificationTokens {

    private final Map<String, EmailVerificationChallenge> challenges = new HashMap<>();
    private volatile RuntimeException failure;

    /** Makes every later call throw {@code value}; {@code null} heals it. */
    public InMemoryVerificationTokens failWith(RuntimeException value) {
        this.failure = value;
        return this;
    }

    @Override
    public synchronized void save(EmailVerificationChallenge challenge) {
        failIfBroken();
        if (challenges.putIfAbsent(challenge.tokenHash(), challenge) != null) {
            throw new IllegalStateException("duplicate challenge");
        }
    }

    @Override
    public synchronized Optional<EmailVerificationChallenge> consume(String tokenHash) {
        failIfBroken();
        return Optional.ofNullable(challenges.remove(tokenHash));
    }

    /** What is pending now (expired ones included: like the table, nothing is deleted on its own). */
    public synchronized List<EmailVerificationChallenge> pending() {
        return List.copyOf(challenges.values());
    }

    private void failIfBroken() {
        RuntimeException current = failure;
        if (current != null) {
            throw current;
        }
    }
}
