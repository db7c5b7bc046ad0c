package dev.latchkey.core.account;

import java.text.Normalizer;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which passwords Latchkey accepts, after NIST SP 800-63B-4 §3.1.1.2 and OWASP ASVS 5.0 6.2: a minimum
 * length (default 12, never below 8), at least 64 and at most {@value #MAX_LENGTH} characters, length
 * counted in Unicode code points after NFKC, no composition rules, no truncation, and no password that a
 * {@link PasswordStrength} estimator finds easy to guess, including ones built from the account's own
 * email address or name.
 *
 * <p>{@link #normalize(String)} is the one transformation between what a person types and what is
 * hashed; registration, password change and login all use it, so a password typed with full-width or
 * decomposed characters on one device matches the same password typed on another. It also refuses
 * oversized input before any hashing (a 1 MB password would cost Argon2 little, but normalizing,
 * estimating and moving it would not). Nothing else is changed: spaces, including leading and trailing
 * ones, belong to the password.
 *
 * <p>Exceptions never contain the password: messages are fixed texts, details hold the reason and the
 * configured limits, and an estimator hint that contains the password is replaced by a generic one.
 */
public final class PasswordPolicy {

    /** Default minimum length in code points (ASVS 5.0 6.2.1; NIST recommends 15 for single-factor). */
    public static final int DEFAULT_MIN_LENGTH = 12;
    /** The lowest minimum length a deployment may configure (NIST SP 800-63B-4: at least 8). */
    public static final int LOWEST_MIN_LENGTH = 8;
    /** Passwords of this many code points are always long enough, whatever the configured minimum. */
    public static final int ALWAYS_LONG_ENOUGH = 64;
    /** Longest password in code points after NFKC; longer ones are refused before any hashing. */
    public static final int MAX_LENGTH = 1024;
    /**
     * Raw inputs longer than this many UTF-16 units are refused before NFKC. NFKC can shrink a string
     * (Hangul jamo and stacked combining marks compose, at most about 4 to 1), so this bound is never
     * hit by a password that would have fit {@link #MAX_LENGTH} after normalization in practice.
     */
    static final int MAX_INPUT_CHARS = 4 * MAX_LENGTH;
    /** Used when the estimator offers no hint, or one that would echo the password. */
    static final String GENERIC_HINT = "Add another word or two. Uncommon words are better.";

    private static final int MIN_CONTEXT_WORD = 3;
    private static final int MAX_CONTEXT_WORD = 64;
    private static final int MAX_CONTEXT_WORDS = 32;
    private static final Pattern WORD_SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final int minLength;
    private final PasswordStrength strength;

    /** A policy with the default minimum length of {@value #DEFAULT_MIN_LENGTH}. */
    public PasswordPolicy(PasswordStrength strength) {
        this(DEFAULT_MIN_LENGTH, strength);
    }

    /**
     * A policy.
     *
     * @param minLength minimum length in code points, {@value #LOWEST_MIN_LENGTH} to
     *     {@value #ALWAYS_LONG_ENOUGH}
     * @param strength the estimator that refuses guessable passwords
     * @throws IllegalArgumentException when {@code minLength} is out of range
     */
    public PasswordPolicy(int minLength, PasswordStrength strength) {
        if (minLength < LOWEST_MIN_LENGTH || minLength > ALWAYS_LONG_ENOUGH) {
            throw new IllegalArgumentException("minimum password length must be " + LOWEST_MIN_LENGTH + "-"
                    + ALWAYS_LONG_ENOUGH + ", was " + minLength);
        }
        this.minLength = minLength;
        this.strength = Objects.requireNonNull(strength, "strength");
    }

    /** The configured minimum length in code points. */
    public int minLength() {
        return minLength;
    }

    /**
     * The form of a password that is hashed and verified: Unicode NFKC, nothing else (no trimming, no
     * case change, no truncation). Use it at login too, before {@link PasswordHasher#verify}.
     *
     * @throws AccountException {@code VALIDATION_ERROR} with reason {@code TOO_LONG} (over
     *     {@value #MAX_LENGTH} code points, checked before hashing) or {@code INVALID_CHARACTERS}
     *     (control characters or unpaired surrogates, which would not survive UTF-8 encoding intact)
     */
    public String normalize(String password) {
        Objects.requireNonNull(password, "password");
        if (password.length() > MAX_INPUT_CHARS) {
            throw AccountException.passwordTooLong(minLength);
        }
        String normalized = Normalizer.normalize(password, Normalizer.Form.NFKC);
        if (normalized.codePointCount(0, normalized.length()) > MAX_LENGTH) {
            throw AccountException.passwordTooLong(minLength);
        }
        if (!normalized.codePoints().allMatch(PasswordPolicy::allowedCodePoint)) {
            throw AccountException.passwordInvalidCharacters(minLength);
        }
        return normalized;
    }

    /**
     * Checks a new password (registration, change, reset) and returns the normalized form to hash.
     *
     * @param password the password as typed
     * @param contextWords words of this account an attacker would try first; see {@link #contextWords}
     * @return {@link #normalize(String) normalize(password)}
     * @throws AccountException {@code VALIDATION_ERROR} with reason {@code TOO_LONG},
     *     {@code INVALID_CHARACTERS}, {@code TOO_SHORT} or {@code TOO_COMMON} (with the estimator's hint),
     *     details {@code reason}, {@code min_length}, {@code max_length} (and {@code hint})
     */
    public String accept(String password, List<String> contextWords) {
        String normalized = normalize(password);
        if (normalized.codePointCount(0, normalized.length()) < minLength) {
            throw AccountException.passwordTooShort(minLength);
        }
        Optional<PasswordStrength.Weakness> weakness = strength.assess(normalized, List.copyOf(contextWords));
        if (weakness.isPresent()) {
            throw AccountException.passwordTooCommon(minLength, safeHint(weakness.get().hint(), normalized));
        }
        return normalized;
    }

    /**
     * The context words of an account: the email's local part, its pieces and the domain's labels below
     * the top level ({@code ada.lovelace@analytical-engine.org} → {@code ada.lovelace}, {@code ada},
     * {@code lovelace}, {@code analytical}, {@code engine}, …), and each name with its pieces and with
     * its spaces removed ({@code Ada Lovelace} → {@code adalovelace}, {@code ada}, {@code lovelace}).
     * Lower-case ({@link Locale#ROOT}) after NFKC; words shorter than 3 code points are dropped.
     *
     * @param email the account's address
     * @param names the person's names (display name, given and family names); blank ones are ignored
     */
    public static List<String> contextWords(EmailAddress email, Collection<String> names) {
        Set<String> words = new LinkedHashSet<>();
        addWithPieces(words, email.localPart());
        String[] labels = email.domain().split("\\.");
        for (int i = 0; i < labels.length - 1; i++) {
            if (!labels[i].startsWith("xn--")) {
                addWithPieces(words, labels[i]);
            }
        }
        for (String name : names) {
            if (name != null && name.length() <= MAX_INPUT_CHARS) {
                String normalized = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
                add(words, WORD_SEPARATORS.matcher(normalized).replaceAll(""));
                addWithPieces(words, normalized);
            }
        }
        return words.stream().limit(MAX_CONTEXT_WORDS).toList();
    }

    private static void addWithPieces(Set<String> words, String text) {
        add(words, text.strip());
        for (String piece : WORD_SEPARATORS.split(text)) {
            add(words, piece);
        }
    }

    private static void add(Set<String> words, String word) {
        int length = word.codePointCount(0, word.length());
        if (length >= MIN_CONTEXT_WORD && length <= MAX_CONTEXT_WORD && !WORD_SEPARATORS.matcher(word).matches()) {
            words.add(word);
        }
    }

    private static String safeHint(String hint, String normalizedPassword) {
        String lowerHint = hint.toLowerCase(Locale.ROOT);
        String lowerPassword = normalizedPassword.toLowerCase(Locale.ROOT);
        return lowerHint.contains(lowerPassword) ? GENERIC_HINT : hint;
    }

    private static boolean allowedCodePoint(int codePoint) {
        return !Character.isISOControl(codePoint) && Character.getType(codePoint) != Character.SURROGATE;
    }
}
