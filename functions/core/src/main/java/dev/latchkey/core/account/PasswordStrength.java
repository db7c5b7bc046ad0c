package dev.latchkey.core.account;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: estimates how guessable a password is (OWASP ASVS 5.0 6.2.4: common and context-specific
 * passwords are refused). Adapters: {@code NbvcxzPasswordStrength}.
 *
 * <p>Called by {@link PasswordPolicy} only, with a password already length-checked and NFKC-normalized.
 * Implementations must be thread-safe, must never log or keep the password, and must answer within a
 * bounded time for any input of up to {@link PasswordPolicy#MAX_LENGTH} code points.
 */
public interface PasswordStrength {

    /**
     * Assesses a password.
     *
     * @param password the normalized password (see {@link PasswordPolicy#normalize(String)})
     * @param contextWords lower-case words an attacker would try first for this account: parts of the
     *     email address and of the person's name (see {@link PasswordPolicy#contextWords})
     * @return empty when strong enough, else why not
     */
    Optional<Weakness> assess(String password, List<String> contextWords);

    /**
     * Why a password is too easy to guess.
     *
     * @param hint a short, human-readable, fixed-text hint for the person choosing the password (for
     *     example "This is a top-100 common password."); never contains the password
     */
    record Weakness(String hint) {

        /** Longest hint accepted: a sentence, not a report. */
        public static final int MAX_HINT_LENGTH = 200;

        /** Validates the hint. */
        public Weakness {
            Objects.requireNonNull(hint, "hint");
            if (hint.isBlank() || hint.length() > MAX_HINT_LENGTH) {
                throw new IllegalArgumentException("hint must be 1-" + MAX_HINT_LENGTH + " characters");
            }
        }
    }
}
