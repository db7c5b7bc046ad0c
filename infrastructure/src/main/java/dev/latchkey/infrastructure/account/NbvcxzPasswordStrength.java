package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.PasswordStrength;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.matching.match.DictionaryMatch;
import me.gosimple.nbvcxz.resources.Configuration;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import me.gosimple.nbvcxz.resources.Dictionary;
import me.gosimple.nbvcxz.resources.DictionaryBuilder;
import me.gosimple.nbvcxz.resources.Feedback;
import me.gosimple.nbvcxz.scoring.Result;

/**
 * {@link PasswordStrength} by nbvcxz 1.5.1 (a zxcvbn-style estimator: dictionaries of common
 * passwords, English words, names and surnames, with l33t, reversal, keyboard patterns, sequences,
 * repeats, years and dates), plus a per-call dictionary of the account's context words.
 *
 * <p><b>Threshold: {@value #DEFAULT_MINIMUM_ENTROPY_BITS} bits</b> of estimated guessing entropy
 * (nbvcxz's default is 35). The estimate models the attacker's best guess order, so 40 bits means about
 * 10<sup>12</sup> guesses. Against a leaked Argon2id hash with the OWASP parameters (19 MiB per guess: a
 * few thousand guesses per second per GPU), that is years of GPU time for one account; online guessing is
 * throttled far below that. It still admits what people can remember: three uncommon random words
 * ({@code gloomy otter banjo} ≈ 42 bits) or a random 12-character mix (≈ 52–57 bits), and refuses
 * {@code password1234} (≈ 4), {@code qwertyuiop123} (≈ 7), {@code correct horse battery staple} (≈ 17)
 * and {@code AdaLovelace1815!} for Ada Lovelace (≈ 22 with her name as context, ≈ 41 without).
 *
 * <p>Cost bounds, for any input up to 1024 code points: only the first {@value #ESTIMATED_PREFIX}
 * characters are estimated (longer passwords are long enough; nbvcxz's own default of 256 takes seconds
 * on repetitive input), and the search for the best combination of matches is cut after
 * {@value #COMBINATION_BUDGET_MS} ms (then nbvcxz uses a greedy combination, which can overrate a
 * repetitive string of 64 or more characters). Measured on the development machine, warm: 5–25 ms for
 * ordinary passwords, 100–300 ms for pathological 1 KiB repeats (the budget plus matching).
 *
 * <p><b>Construction cost</b>: the first instance in a JVM loads nbvcxz's dictionaries (about 1.5 MB of
 * word lists, class initialization of {@link ConfigurationBuilder}): 0.6–1 s and about 18 MB of retained
 * heap on the development machine. Build one instance and share it; it is thread-safe. The composition root builds
 * it at the first estimate or in SnapStart priming ({@link LazyPasswordStrength}), not at init. Per call, only a
 * small context dictionary and a {@link Configuration} that shares the loaded dictionaries are made.
 *
 * <p>Hints are nbvcxz's fixed warning and suggestion texts (English), or a fixed text when a context
 * word matched; never the password.
 */
public final class NbvcxzPasswordStrength implements PasswordStrength {

    /** Default minimum estimated entropy in bits. */
    public static final double DEFAULT_MINIMUM_ENTROPY_BITS = 40;
    /** Characters of a password that are estimated. */
    static final int ESTIMATED_PREFIX = 64;
    /** Budget for nbvcxz's best-combination search, per call. */
    static final long COMBINATION_BUDGET_MS = 100;
    static final String CONTEXT_HINT = "Avoid your name and parts of your email address.";
    static final String GENERIC_HINT = "Add another word or two. Uncommon words are better.";

    private static final String CONTEXT_DICTIONARY = "latchkey-context";

    private final Configuration base;
    private final Nbvcxz nbvcxz;

    /** An estimator with the default threshold of {@value #DEFAULT_MINIMUM_ENTROPY_BITS} bits. */
    public NbvcxzPasswordStrength() {
        this(DEFAULT_MINIMUM_ENTROPY_BITS);
    }

    /**
     * An estimator.
     *
     * @param minimumEntropyBits the estimated entropy a password needs, 20 to 128
     */
    public NbvcxzPasswordStrength(double minimumEntropyBits) {
        if (!(minimumEntropyBits >= 20 && minimumEntropyBits <= 128)) {
            throw new IllegalArgumentException("minimum entropy must be 20-128 bits");
        }
        this.base = new ConfigurationBuilder()
                .setLocale(Locale.ENGLISH)
                .setMinimumEntropy(minimumEntropyBits)
                .setMaxLength(ESTIMATED_PREFIX)
                .setCombinationAlgorithmTimeout(COMBINATION_BUDGET_MS)
                .createConfiguration();
        this.nbvcxz = new Nbvcxz(base);
    }

    /** The configured threshold. */
    public double minimumEntropyBits() {
        return base.getMinimumEntropy();
    }

    @Override
    public Optional<Weakness> assess(String password, List<String> contextWords) {
        Result result = estimator(contextWords).estimate(password);
        if (result.isMinimumEntropyMet()) {
            return Optional.empty();
        }
        return Optional.of(new Weakness(hint(result)));
    }

    private Nbvcxz estimator(List<String> contextWords) {
        List<String> words = contextWords.stream()
                .filter(w -> w != null && !w.isBlank())
                .map(w -> w.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
        if (words.isEmpty()) {
            return nbvcxz;
        }
        DictionaryBuilder context = new DictionaryBuilder().setDictionaryName(CONTEXT_DICTIONARY).setExclusion(false);
        for (int i = 0; i < words.size(); i++) {
            context.addWord(words.get(i), i + 1);
        }
        // A copy: ConfigurationBuilder.getDefaultDictionaries() is nbvcxz's shared static list.
        List<Dictionary> dictionaries = new ArrayList<>(base.getDictionaries());
        dictionaries.add(context.createDictionary());
        return new Nbvcxz(new Configuration(base.getPasswordMatchers(), base.getGuessTypes(), dictionaries,
                base.getAdjacencyGraphs(), base.getLeetTable(), base.getYearPattern(), base.getMinimumEntropy(),
                base.getMaxLength(), base.getLocale(), base.isDistanceCalc(), base.getCombinationAlgorithmTimeout()));
    }

    private static String hint(Result result) {
        boolean personal = result.getMatches().stream()
                .anyMatch(m -> m instanceof DictionaryMatch d && CONTEXT_DICTIONARY.equals(d.getDictionaryName()));
        if (personal) {
            return CONTEXT_HINT;
        }
        Feedback feedback = result.getFeedback();
        String warning = feedback.getWarning();
        if (usable(warning)) {
            return warning;
        }
        return feedback.getSuggestion().stream().filter(NbvcxzPasswordStrength::usable).findFirst()
                .orElse(GENERIC_HINT);
    }

    private static boolean usable(String hint) {
        return hint != null && !hint.isBlank() && hint.length() <= Weakness.MAX_HINT_LENGTH;
    }
}
