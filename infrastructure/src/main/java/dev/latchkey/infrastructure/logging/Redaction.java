package dev.latchkey.infrastructure.logging;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last line of defence of every log line ({@link JsonLogLayout}): whatever a message, an argument, an exception
 * message or a stack trace holds, each secret shape Latchkey knows is replaced before the line is written. Code
 * must still never log a secret (SECURITY.md); this catches the slip — a library that logs a request, an exception
 * that quotes its input.
 *
 * <p>Shapes: Latchkey's prefixed credentials ({@code lk_} API keys, {@code lkr_} refresh tokens, {@code lkcs_} client
 * secrets, {@code lkv_} verification tokens, {@code lkp_} password-reset tokens, {@code lki_} invitation tokens, and
 * any other {@code lk…_} prefix), JWTs (three base64url segments starting {@code eyJ}), email addresses, the values
 * of {@code password}, {@code secret}, {@code token}, {@code otp}/{@code totp}/{@code code}, {@code email} and
 * {@code authorization}
 * fields (JSON, form or header style), {@code Bearer}/{@code Basic} credentials, and base32 runs of 16 or more
 * characters (TOTP secrets, RFC 4648 §6).
 *
 * <p>Speed (issue 16): every request writes a log line, and the six patterns scanned every line in ≈ 110 µs on
 * Lambda's C1 JIT (the secret-named-field and email patterns try a match at every position). Each rule has a
 * <em>necessary condition</em> checked first in one plain pass — a substring its every match contains, or for the
 * secret-named fields a keyword followed by what the pattern needs before its {@code :} or {@code =} — and its
 * pattern runs only where that holds. The output is exactly the patterns' ({@code RedactionTest} compares both on
 * generated text); a line without any shape (the request line) costs a few microseconds.
 */
public final class Redaction {

    /** What a redacted value becomes. */
    public static final String MASK = "[REDACTED]";

    /** The secret-named-field pattern (see its rule). */
    static final String SECRET_FIELD = "(?i)(?<![a-z_])(\"?[a-z_]*"
            + "(password|secret|token|totp|otp|code|authorization|api[_-]?key|email)[a-z_]*+"
            + "\"?\\s*[:=]\\s*\"?)([^\"&,\\s}]+)";

    private static final List<Rule> RULES = List.of(
            // Latchkey credentials: lk_, lkr_, lkcs_, lkv_, lkp_, lki_ and any future lk*_ prefix.
            new Rule(Pattern.compile("(?<![A-Za-z0-9])(lk[a-z]{0,3}_)[A-Za-z0-9_-]+"), "$1" + MASK,
                    text -> text.contains("lk")),
            // JWS/JWT compact serialization (RFC 7515 §7.1): header segments start with base64url("{\"").
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?"), MASK,
                    text -> text.contains("eyJ")),
            // HTTP credentials, whatever the scheme's token.
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"), "$1 " + MASK,
                    Redaction::mayHoldHttpCredential),
            // Secret-named fields: "password":"…", password=…, Authorization: …
            // A match starts where no letter precedes it and the name's tail is taken possessively: the same matches
            // as without both (a match inside a word has one at the word's start; the tail must reach the word's
            // end anyway), but no attempt from every letter of a long word, each rescanning it (a 3 KB run of
            // "otp…" took 30 s; RedactionTest pins both).
            new Rule(Pattern.compile(SECRET_FIELD), "$1" + MASK, Redaction::mayHoldSecretField),
            // Email addresses (any local part, a dotted domain).
            new Rule(Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"), MASK,
                    text -> text.indexOf('@') >= 0),
            // TOTP secrets: base32 (RFC 4648 §6), 16+ characters, standing alone.
            new Rule(Pattern.compile("(?<![A-Za-z0-9_])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9_])"), MASK,
                    Redaction::hasBase32Run));

    private Redaction() {
    }

    /** The text with every secret shape replaced by {@link #MASK}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : RULES) {
            if (rule.mayMatch().test(result)) {
                result = rule.apply(result);
            }
        }
        return result;
    }

    /** The same without the necessary conditions: every pattern on the whole text (what the tests compare with). */
    static String redactByPatternsOnly(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : RULES) {
            result = rule.apply(result);
        }
        return result;
    }

    /**
     * Whether the text can hold a secret-named field: a keyword (ASCII case ignored, as the pattern's {@code (?i)}),
     * then the rest of its word ({@code [A-Za-z_]*}, which the pattern must consume whole, as none of what follows
     * is a letter), an optional {@code "}, white space, and {@code :} or {@code =}. Every match of the pattern has
     * this shape; the converse need not hold.
     */
    static boolean mayHoldSecretField(String text) {
        if (text.indexOf(':') < 0 && text.indexOf('=') < 0) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            int end = fieldKeywordEnd(text, i);
            if (end >= 0 && assignedAfter(text, end)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a keyword of the secret-named-field pattern that starts at {@code at} ends ({@code password},
     * {@code secret}, {@code token}, {@code totp}, {@code otp}, {@code code}, {@code authorization},
     * {@code api[_-]?key}, {@code email}; ASCII case ignored), or -1. One pass over a line looks at each position
     * once, by its first letter.
     */
    private static int fieldKeywordEnd(String text, int at) {
        return switch (text.charAt(at) | 0x20) {
            case 'p' -> endOf(text, at, "password");
            case 's' -> endOf(text, at, "secret");
            case 't' -> Math.max(endOf(text, at, "token"), endOf(text, at, "totp"));
            case 'o' -> endOf(text, at, "otp");
            case 'c' -> endOf(text, at, "code");
            case 'e' -> endOf(text, at, "email");
            case 'a' -> {
                int authorization = endOf(text, at, "authorization");
                int api = endOf(text, at, "api");
                if (authorization >= 0 || api < 0) {
                    yield authorization;
                }
                int key = api < text.length() && (text.charAt(api) == '_' || text.charAt(api) == '-') ? api + 1 : api;
                yield endOf(text, key, "key");
            }
            default -> -1;
        };
    }

    /** Whether {@code bearer} or {@code basic} occurs (ASCII case ignored), which the credentials rule needs. */
    static boolean mayHoldHttpCredential(String text) {
        for (int i = 0; i < text.length(); i++) {
            if ((text.charAt(i) | 0x20) == 'b' && (endOf(text, i, "bearer") >= 0 || endOf(text, i, "basic") >= 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a keyword ending at {@code from}: {@code [A-Za-z_]*}, {@code "?}, {@code \s*}, then {@code :} or
     * {@code =}.
     */
    private static boolean assignedAfter(String text, int from) {
        int i = from;
        while (i < text.length() && isWordLetter(text.charAt(i))) {
            i++;
        }
        if (i < text.length() && text.charAt(i) == '"') {
            i++;
        }
        while (i < text.length() && isRegexSpace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && (text.charAt(i) == ':' || text.charAt(i) == '=');
    }

    /** A run of 16 or more base32 characters ({@code [A-Z2-7]}), which the TOTP rule needs. */
    static boolean hasBase32Run(String text) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
                if (++run == 16) {
                    return true;
                }
            } else {
                run = 0;
            }
        }
        return false;
    }

    /**
     * The end of {@code word} (lower-case ASCII letters) when it stands at {@code at} in {@code text}, ASCII case
     * ignored (as a pattern's {@code (?i)} without {@code UNICODE_CASE}); -1 if it does not.
     */
    static int endOf(String text, int at, String word) {
        return at + word.length() <= text.length() && matchesAt(text, at, word) ? at + word.length() : -1;
    }

    /** {@code c | 0x20} is a lower-case letter only for an ASCII letter, so nothing else compares equal. */
    private static boolean matchesAt(String text, int at, String word) {
        for (int k = 0; k < word.length(); k++) {
            if ((text.charAt(at + k) | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    /** {@code \s} of {@link Pattern} without {@code UNICODE_CHARACTER_CLASS}: {@code [ \t\n\x0B\f\r]}. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * One shape: its pattern, its replacement, and a condition that every text holding a match meets.
     */
    private record Rule(Pattern pattern, String replacement, Predicate<String> mayMatch) {

        String apply(String text) {
            Matcher matcher = pattern.matcher(text);
            return matcher.find() ? matcher.replaceAll(replacement) : text;
        }
    }
}
