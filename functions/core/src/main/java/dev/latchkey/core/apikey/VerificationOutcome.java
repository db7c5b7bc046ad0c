package dev.latchkey.core.apikey;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a verification of a known key ended, as counted by {@link VerificationAnalytics} (docs/api-keys.md
 * "Verification analytics"; issue 21 §5): valid, or the {@link VerificationFailure} it answered. {@code NOT_FOUND} is
 * no outcome of a key: nothing matched, so the verification belongs to no key and no organization (the key id in a
 * made-up key is only what its sender claims; counting it would let anyone write into any organization's numbers).
 */
public enum VerificationOutcome {
    /** The key was valid. */
    VALID,
    /** {@link VerificationFailure#REVOKED}. */
    REVOKED,
    /** {@link VerificationFailure#EXPIRED}. */
    EXPIRED,
    /** {@link VerificationFailure#IP_NOT_ALLOWED}. */
    IP_NOT_ALLOWED,
    /** {@link VerificationFailure#PERMISSION_DENIED}. */
    PERMISSION_DENIED,
    /** {@link VerificationFailure#RATE_LIMITED}. */
    RATE_LIMITED,
    /** {@link VerificationFailure#USAGE_EXCEEDED}. */
    USAGE_EXCEEDED;

    /** The lower-case name used in the API and as the stored attribute ({@code valid}, {@code rate_limited} …). */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a verification of a key whose secret matched; empty for {@code NOT_FOUND}. */
    public static Optional<VerificationOutcome> of(Verification verification) {
        if (verification.valid()) {
            return Optional.of(VALID);
        }
        VerificationFailure failure = verification.failure().orElseThrow();
        return failure == VerificationFailure.NOT_FOUND || verification.key().isEmpty() ? Optional.empty()
                : Optional.of(valueOf(failure.name()));
    }

    /** The outcome named {@code text} ({@link #text()}), if any. */
    public static Optional<VerificationOutcome> parse(String text) {
        return Arrays.stream(values()).filter(o -> o.text().equals(text)).findFirst();
    }
}
