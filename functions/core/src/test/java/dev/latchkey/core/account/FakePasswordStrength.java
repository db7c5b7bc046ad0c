package dev.latchkey.core.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * In-memory {@link PasswordStrength}: weak when the password contains a listed common word or one of
 * the context words (case-insensitive). Records what it was asked.
 */
final class FakePasswordStrength implements PasswordStrength {

    static final String COMMON_HINT = "This is a very common password.";
    static final String CONTEXT_HINT = "Avoid your name and email address.";

    private final List<String> common;
    private final List<List<String>> contexts = new ArrayList<>();
    private final List<String> assessed = new ArrayList<>();
    private String hintOverride;

    FakePasswordStrength(String... common) {
        this.common = List.of(common);
    }

    /** Makes every weakness carry this hint instead (to test hint sanitizing). */
    FakePasswordStrength hint(String hint) {
        this.hintOverride = hint;
        return this;
    }

    List<List<String>> contexts() {
        return contexts;
    }

    List<String> assessed() {
        return assessed;
    }

    @Override
    public Optional<Weakness> assess(String password, List<String> contextWords) {
        assessed.add(password);
        contexts.add(contextWords);
        String lower = password.toLowerCase(Locale.ROOT);
        if (common.stream().anyMatch(lower::contains)) {
            return Optional.of(new Weakness(hintOverride != null ? hintOverride : COMMON_HINT));
        }
        if (contextWords.stream().anyMatch(lower::contains)) {
            return Optional.of(new Weakness(hintOverride != null ? hintOverride : CONTEXT_HINT));
        }
        return Optional.empty();
    }
}
