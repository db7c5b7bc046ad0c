package dev.latchkey.infrastructure.logging;

import java.util.List;
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
 */
public final class Redaction {

    /** What a redacted value becomes. */
    public static final String MASK = "[REDACTED]";

    private static final List<Rule> RULES = List.of(
            // Latchkey credentials: lk_, lkr_, lkcs_, lkv_, lkp_, lki_ and any future lk*_ prefix.
            new Rule(Pattern.compile("(?<![A-Za-z0-9])(lk[a-z]{0,3}_)[A-Za-z0-9_-]+"), "$1" + MASK),
            // JWS/JWT compact serialization (RFC 7515 §7.1): header segments start with base64url("{\"").
            new Rule(Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)?"), MASK),
            // HTTP credentials, whatever the scheme's token.
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"), "$1 " + MASK),
            // Secret-named fields: "password":"…", password=…, Authorization: …
            new Rule(Pattern.compile("(?i)(\"?[a-z_]*"
                    + "(password|secret|token|totp|otp|code|authorization|api[_-]?key|email)[a-z_]*"
                    + "\"?\\s*[:=]\\s*\"?)([^\"&,\\s}]+)"), "$1" + MASK),
            // Email addresses (any local part, a dotted domain).
            new Rule(Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+"), MASK),
            // TOTP secrets: base32 (RFC 4648 §6), 16+ characters, standing alone.
            new Rule(Pattern.compile("(?<![A-Za-z0-9_])[A-Z2-7]{16,}={0,6}(?![A-Za-z0-9_])"), MASK));

    private Redaction() {
    }

    /** The text with every secret shape replaced by {@link #MASK}; {@code null} stays {@code null}. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(result);
            if (matcher.find()) {
                result = matcher.replaceAll(rule.replacement());
            }
        }
        return result;
    }

    private record Rule(Pattern pattern, String replacement) {
    }
}
