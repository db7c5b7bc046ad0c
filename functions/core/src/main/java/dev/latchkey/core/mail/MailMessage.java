package dev.latchkey.core.mail;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One outgoing mail: plain text, one recipient.
 *
 * <p><b>Header injection.</b> {@link #to} and {@link #subject} end up in mail headers, so neither may
 * hold a CR, LF or any other control or line-separator character, and the address may hold no
 * character that would add a recipient or a display name ({@code , ; < > " ( ) [ ] \ :} or white space).
 *
 * <p><b>Secrets.</b> Bodies carry single-use tokens (verification, password reset) and addresses are
 * personal data: {@link #toString()} prints neither, nor the subject; only the purpose. Validation
 * messages never echo a value.
 *
 * @param to the recipient, the address as stored for the user (at most 254 characters, one {@code @})
 * @param subject one line, 1–{@value #MAX_SUBJECT_LENGTH} characters
 * @param text the plain-text body, 1–{@value #MAX_TEXT_LENGTH} characters, no NUL
 * @param purpose what the mail is for, {@code [a-z][a-z0-9-]{1,39}}, such as {@link #EMAIL_VERIFICATION}
 */
public record MailMessage(String to, String subject, String text, String purpose) {

    /** Purpose of the sign-up verification mail. */
    public static final String EMAIL_VERIFICATION = "email-verification";
    /** Purpose of the password-reset mail. */
    public static final String PASSWORD_RESET = "password-reset";

    /** Longest subject, in characters. */
    public static final int MAX_SUBJECT_LENGTH = 200;
    /** Longest body, in characters. */
    public static final int MAX_TEXT_LENGTH = 100_000;
    /** Longest address (RFC 5321 §4.5.3.1.3 path limit minus the angle brackets). */
    public static final int MAX_ADDRESS_LENGTH = 254;

    private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    /** Control characters (CR, LF, NUL, TAB, NEL…) and the Unicode line and paragraph separators. */
    private static final Pattern LINE_BREAKING = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");
    private static final Pattern ADDRESS = Pattern.compile(
            "[^\\p{Cc}\\p{Z}\\s@,;<>\"()\\[\\]\\\\:]{1,64}@[^\\p{Cc}\\p{Z}\\s@,;<>\"()\\[\\]\\\\:]{1,253}");

    /** @throws IllegalArgumentException naming the field (never its value) that breaks a rule */
    public MailMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(purpose, "purpose");
        if (to.length() > MAX_ADDRESS_LENGTH || LINE_BREAKING.matcher(to).find() || !ADDRESS.matcher(to).matches()) {
            throw new IllegalArgumentException("recipient is not a single plain address");
        }
        if (subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("subject must have 1-" + MAX_SUBJECT_LENGTH + " characters");
        }
        if (LINE_BREAKING.matcher(subject).find()) {
            throw new IllegalArgumentException("subject must be one line without control characters");
        }
        if (text.isBlank() || text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("text must have 1-" + MAX_TEXT_LENGTH + " characters");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("text must not contain NUL");
        }
        if (!PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("purpose must match " + PURPOSE.pattern());
        }
    }

    /** Prints the purpose only: the address, subject and body stay out of logs. */
    @Override
    public String toString() {
        return "MailMessage[purpose=" + purpose + ", to=<redacted>, subject=<redacted>, text=<redacted>]";
    }
}
