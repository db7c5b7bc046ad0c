package dev.latchkey.core.apikey;

import dev.latchkey.core.ratelimit.RateLimitDecision;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The answer of {@link VerifyApiKey#verify}.
 *
 * @param failure empty when the key is valid
 * @param key the key, present once its secret matched (so also for {@code REVOKED}, {@code EXPIRED},
 *     {@code PERMISSION_DENIED}, {@code RATE_LIMITED}); the verify route shows it only when valid
 * @param rateLimit the key's rate-limit decision when it has a limit and got that far
 * @param creditsRemaining the key's credits left after this verification, when it has credits and got that far
 */
public record Verification(Optional<VerificationFailure> failure, Optional<ApiKey> key,
        Optional<RateLimitDecision> rateLimit, OptionalLong creditsRemaining) {

    /** A verification that did not get to the credits. */
    public Verification(Optional<VerificationFailure> failure, Optional<ApiKey> key,
            Optional<RateLimitDecision> rateLimit) {
        this(failure, key, rateLimit, OptionalLong.empty());
    }

    /** Checks the combination. */
    public Verification {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(creditsRemaining, "creditsRemaining");
        if (failure.isEmpty() && key.isEmpty()) {
            throw new IllegalArgumentException("a valid verification has a key");
        }
    }

    /** Whether the key is valid. */
    public boolean valid() {
        return failure.isEmpty();
    }

    static Verification failed(VerificationFailure failure, Optional<ApiKey> key, Optional<RateLimitDecision> limit) {
        return new Verification(Optional.of(failure), key, limit);
    }
}
