package dev.latchkey.infrastructure.logging;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
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
 * Lambda's C1 JIT (the secret-named-field and email patterns try a match at every position). Three rules (the
 * {@code lk…_} credentials, {@code Bearer}/{@code Basic}, base32 runs) have a <em>necessary condition</em> checked
 * first in one plain pass — a substring their every match contains — and their pattern runs only where it holds.
 * The secret-named-field, JWT and email rules are code ({@link #redactSecretFields}, {@link #redactJwts},
 * {@link #redactEmails}): one pass each, linear in the line's length, where their patterns {@link #SECRET_FIELD},
 * {@link #JWT} and {@link #EMAIL} are quadratic on hostile input (30 KB of {@code otp…} took 3.9 s on C1, 30 KB of
 * {@code eyJ…} without a dot 3.3 s, a 30 KB run of local-part characters in a line with an {@code @} 9.6 s). Every
 * rule is now linear in the line's length. The output is exactly the patterns' ({@code RedactionTest} compares each
 * rule's code with its pattern, and {@link #redact} with {@link #redactByPatternsOnly}, on generated text); a line
 * without any shape (the request line) costs a few microseconds.
 */
public final class Redaction {

    /** What a redacted value becomes. */
    public static final String MASK = "[REDACTED]";

    /** The secret-named-field pattern (see its rule). */
    static final String SECRET_FIELD = "(?i)(?<![a-z_])(\"?[a-z_]*"
            + "(password|secret|token|totp|otp|code|authorization|api[_-]?key|email)[a-z_]*+"
            + "\"?\\s*[:=]\\s*\"?)([^\"&,\\s}]+)";

    /** The JWT pattern (see its rule). */
    static final String JWT = "eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?";

    /** The email pattern (see its rule). */
    static final String EMAIL = "[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+";

    private static final List<Rule> RULES = List.of(
            // Latchkey credentials: lk_, lkr_, lkcs_, lkv_, lkp_, lki_ and any future lk*_ prefix.
            Rule.guarded("(?<![A-Za-z0-9])(lk[a-z]{0,3}_)[A-Za-z0-9_-]+", "$1" + MASK,
                    text -> text.contains("lk")),
            // JWS/JWT compact serialization (RFC 7515 §7.1): header segments start with base64url("{\"").
            // Code, not the pattern: redactJwts gives what JWT's replaceAll gives (RedactionTest compares both) in one
            // pass, linear in the line's length; the pattern scans from every eyJ of a run to its end (a long run of
            // eyJ without a dot: quadratic, 30 KB took 3.3 s on C1).
            Rule.coded(JWT, MASK, Redaction::redactJwts),
            // HTTP credentials, whatever the scheme's token.
            Rule.guarded("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+", "$1 " + MASK,
                    Redaction::mayHoldHttpCredential),
            // Secret-named fields: "password":"…", password=…, Authorization: …
            // Code, not the pattern: redactSecretFields gives what SECRET_FIELD's replaceAll gives (RedactionTest
            // compares both) in one pass, linear in the line's length; the pattern backtracks over a long word made
            // of keywords ("otp…" then a field: quadratic, 30 KB took 3.9 s on C1).
            Rule.coded(SECRET_FIELD, "$1" + MASK, Redaction::redactSecretFields),
            // Email addresses (any local part, a dotted domain).
            // Code, not the pattern: redactEmails gives what EMAIL's replaceAll gives (RedactionTest compares both) in
            // one pass, linear in the line's length; the pattern tries a match from every position of a run of
            // local-part characters, each rescanning the run (a long run and an @ elsewhere: quadratic, 30 KB took
            // 9.6 s on C1).
            Rule.coded(EMAIL, MASK, Redaction::redactEmails),
            // TOTP secrets: base32 (RFC 4648 §6), 16+ characters, standing alone.
            Rule.guarded("(?<![A-Za-z0-9_])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9_])", MASK,
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
            result = rule.redact().apply(result);
        }
        return result;
    }

    /**
     * The same by the patterns alone: every pattern on the whole text, {@link #SECRET_FIELD} included (what the tests
     * compare with).
     */
    static String redactByPatternsOnly(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : RULES) {
            result = rule.byPattern(result);
        }
        return result;
    }

    /**
     * What {@code SECRET_FIELD}'s {@code replaceAll} with {@code $1[REDACTED]} gives, in one pass over the text:
     * linear in its length, where the pattern is quadratic on a long word made of keywords.
     *
     * <p>The pattern's lookbehind lets a match start only at a word — a maximal run of {@code [A-Za-z_]} (ASCII
     * only: {@code (?i)} without {@code UNICODE_CASE} folds no other letter) — or at a {@code "} right before one,
     * which moves where the match starts but not its value. The word is a name when it holds a keyword; the
     * possessive tail then ends the name at the word's end. The one keyword that leaves the word is {@code api-key}:
     * when a word ends with {@code api} and {@code -key} follows, the pattern tries that first (its greedy
     * {@code [a-z_]*} puts the keyword as far right as it can) and the name runs to the end of the word that holds
     * the {@code key}; the word alone could not be a name then, since its end is the {@code -}. After a name comes
     * the value ({@link #valueStart}, then every character up to one of {@code " & ,}, white space or a closing
     * brace); the value masked, scanning resumes after it, as {@code replaceAll} does, so a word inside a value is not
     * a name. A word that is no name is passed over.
     */
    static String redactSecretFields(String text) {
        if (text.indexOf(':') < 0 && text.indexOf('=') < 0) {
            return text;
        }
        int length = text.length();
        StringBuilder redacted = null;
        int copied = 0;
        int i = 0;
        while (i < length) {
            if (!isWordLetter(text.charAt(i))) {
                i++;
                continue;
            }
            int word = i;
            boolean keyword = false;
            do {
                // api-key, found here only where the word ends with api, is the branch below's.
                if (!keyword && fieldKeywordEnd(text, i) >= 0) {
                    keyword = true;
                }
                i++;
            } while (i < length && isWordLetter(text.charAt(i)));
            int nameEnd;
            if (i - word >= 3 && i < length && text.charAt(i) == '-' && endOf(text, i - 3, "api") >= 0
                    && endOf(text, i + 1, "key") >= 0) {
                nameEnd = i + 4;
                while (nameEnd < length && isWordLetter(text.charAt(nameEnd))) {
                    nameEnd++;
                }
            } else if (keyword) {
                nameEnd = i;
            } else {
                continue;
            }
            int value = valueStart(text, nameEnd);
            if (value < 0) {
                continue;
            }
            if (redacted == null) {
                redacted = new StringBuilder(length + MASK.length());
            }
            redacted.append(text, copied, value).append(MASK);
            i = value;
            while (i < length && isValueChar(text.charAt(i))) {
                i++;
            }
            copied = i;
        }
        return redacted == null ? text : redacted.append(text, copied, length).toString();
    }

    /**
     * What {@code JWT}'s {@code replaceAll} with {@code [REDACTED]} gives, in one pass over the text: linear in its
     * length, where the pattern is quadratic on a long run of {@code eyJ} without a dot.
     *
     * <p>Each part of the pattern has one way to match: a segment ({@code [A-Za-z0-9_-]*}, greedy) takes its whole
     * run, as giving a character back leaves a run character where a {@code .} (outside the class) is needed or where
     * the match may end anyway; the optional third segment is taken whenever a {@code .} follows the second. So a
     * match from an {@code eyJ} (case-sensitive) needs a {@code .} right after the run of segment characters that
     * holds it, and every later {@code eyJ} of that run has the same fate: without the dot the scan skips to the run's
     * end. A match ends where no segment character follows, so the next {@code eyJ} is in a later run.
     */
    static String redactJwts(String text) {
        int start = text.indexOf("eyJ");
        if (start < 0) {
            return text;
        }
        int length = text.length();
        StringBuilder redacted = null;
        int copied = 0;
        while (start >= 0) {
            int end = jwtSegmentEnd(text, start + 3);
            if (end < length && text.charAt(end) == '.') {
                end = jwtSegmentEnd(text, end + 1);
                if (end < length && text.charAt(end) == '.') {
                    end = jwtSegmentEnd(text, end + 1);
                }
                if (redacted == null) {
                    redacted = new StringBuilder(length);
                }
                redacted.append(text, copied, start).append(MASK);
                copied = end;
            }
            start = text.indexOf("eyJ", end);
        }
        return redacted == null ? text : redacted.append(text, copied, length).toString();
    }

    /** The end of the run of {@code [A-Za-z0-9_-]} (a JWT segment's characters) that starts at {@code from}. */
    private static int jwtSegmentEnd(String text, int from) {
        int i = from;
        while (i < text.length() && isJwtChar(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * What {@code EMAIL}'s {@code replaceAll} with {@code [REDACTED]} gives, in one pass over the text: linear in its
     * length, where the pattern is quadratic on a long run of local-part characters when the line holds an {@code @}.
     *
     * <p>The {@code @} is outside the local part's class and the {@code .} outside the domain's, so each greedy part
     * takes its whole run, giving nothing back: a match from a position needs an {@code @} right after the run of
     * local-part characters ({@code [A-Za-z0-9._%+'-]}) that holds it, then a domain run ({@code [A-Za-z0-9-]}) and
     * one or more times a {@code .} and a domain run — as many as follow (a {@code .} with no domain character after
     * it ends the match before it). Every position of a run has the same fate, so a match starts where its run starts
     * or, inside a run, where the scan resumes after the previous match (as {@code replaceAll} does: in
     * {@code a@b.c.@x.y} the first match ends before {@code .@x.y}, which is a second one). A run that holds no match
     * is passed over; the domain after its {@code @} is read again as the next run, whose characters it all is.
     */
    static String redactEmails(String text) {
        if (text.indexOf('@') < 0) {
            return text;
        }
        int length = text.length();
        StringBuilder redacted = null;
        int copied = 0;
        int i = 0;
        while (i < length) {
            if (!isLocalPartChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            do {
                i++;
            } while (i < length && isLocalPartChar(text.charAt(i)));
            if (i == length || text.charAt(i) != '@') {
                continue;
            }
            int end = domainEnd(text, i + 1);
            if (end < 0) {
                continue;
            }
            if (redacted == null) {
                redacted = new StringBuilder(length);
            }
            redacted.append(text, copied, start).append(MASK);
            copied = end;
            i = end;
        }
        return redacted == null ? text : redacted.append(text, copied, length).toString();
    }

    /**
     * Where {@code [A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+} starting at {@code from} ends (as many dotted labels as follow),
     * or -1.
     */
    private static int domainEnd(String text, int from) {
        int length = text.length();
        int i = from;
        while (i < length && isDomainChar(text.charAt(i))) {
            i++;
        }
        if (i == from) {
            return -1;
        }
        int end = -1;
        while (i + 1 < length && text.charAt(i) == '.' && isDomainChar(text.charAt(i + 1))) {
            i += 2;
            while (i < length && isDomainChar(text.charAt(i))) {
                i++;
            }
            end = i;
        }
        return end;
    }

    /** {@code [A-Za-z0-9_-]}: a base64url character, a JWT segment's (a domain label's and {@code _}). */
    private static boolean isJwtChar(char c) {
        return isDomainChar(c) || c == '_';
    }

    /** {@code [A-Za-z0-9-]}: a character of an email address's domain label. */
    private static boolean isDomainChar(char c) {
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'z' || c >= '0' && c <= '9' || c == '-';
    }

    /** {@code [A-Za-z0-9._%+'-]}: a character of an email address's local part. */
    private static boolean isLocalPartChar(char c) {
        return isDomainChar(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '\'';
    }

    /**
     * Where the value starts after a name that ends at {@code from}, or -1: {@code "?\s*[:=]\s*"?}, then a character
     * the value may hold ({@link #isValueChar}). Each part has one way to match: backtracking could only give back a
     * {@code "} or white space, where a {@code :}, an {@code =} or a value character is needed and neither is one
     * ({@code password= "}, {@code password=""x} and {@code password"" = x} hold no match).
     */
    private static int valueStart(String text, int from) {
        int length = text.length();
        int i = from;
        if (i < length && text.charAt(i) == '"') {
            i++;
        }
        while (i < length && isRegexSpace(text.charAt(i))) {
            i++;
        }
        if (i == length || text.charAt(i) != ':' && text.charAt(i) != '=') {
            return -1;
        }
        i++;
        while (i < length && isRegexSpace(text.charAt(i))) {
            i++;
        }
        if (i < length && text.charAt(i) == '"') {
            i++;
        }
        return i < length && isValueChar(text.charAt(i)) ? i : -1;
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

    /** {@code [A-Za-z_]}: {@code c | 0x20} is a lower-case ASCII letter only for an ASCII letter. */
    private static boolean isWordLetter(char c) {
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'z' || c == '_';
    }

    /** {@code \s} of {@link Pattern} without {@code UNICODE_CHARACTER_CLASS}: {@code [ \t\n\x0B\f\r]}. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * A character of the secret-field pattern's value: none of {@code " & ,}, {@code \s} or a closing brace (either
     * half of a surrogate pair is one, as the pair is for the pattern).
     */
    private static boolean isValueChar(char c) {
        return c != '"' && c != '&' && c != ',' && c != '}' && !isRegexSpace(c);
    }

    /**
     * One shape: its pattern and replacement, and what {@link Redaction#redact} runs for it — the pattern where a
     * condition that every text holding a match meets holds, or code that gives the pattern's output.
     */
    private record Rule(Pattern pattern, String replacement, UnaryOperator<String> redact) {

        static Rule guarded(String regex, String replacement, Predicate<String> mayMatch) {
            Pattern pattern = Pattern.compile(regex);
            return new Rule(pattern, replacement,
                    text -> mayMatch.test(text) ? replaceAll(pattern, replacement, text) : text);
        }

        static Rule coded(String regex, String replacement, UnaryOperator<String> code) {
            return new Rule(Pattern.compile(regex), replacement, code);
        }

        String byPattern(String text) {
            return replaceAll(pattern, replacement, text);
        }

        private static String replaceAll(Pattern pattern, String replacement, String text) {
            Matcher matcher = pattern.matcher(text);
            return matcher.find() ? matcher.replaceAll(replacement) : text;
        }
    }
}
