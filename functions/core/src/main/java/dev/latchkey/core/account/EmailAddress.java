package dev.latchkey.core.account;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address, parsed once into the three forms Latchkey needs. Equality is by
 * {@link #canonical()}: two addresses that differ only in case, compatibility characters or the
 * spelling of an internationalized domain are the same account.
 *
 * <ul>
 *   <li>{@link #canonical()}: the key for uniqueness and lookup ({@code EMAIL#<canonical>}). NFKC,
 *       lower-cased with {@link Locale#ROOT}, domain as a lower-case A-label (pure ASCII).</li>
 *   <li>{@link #mailbox()}: where mail is sent. The local part as typed (case kept, after NFKC) and
 *       the ASCII domain: plain SMTP delivers it, no SMTPUTF8 needed.</li>
 *   <li>{@link #display()}: the address as typed (trimmed, NFC), for showing to its owner; an
 *       internationalized domain stays in Unicode here.</li>
 * </ul>
 *
 * <p>Rules (a pragmatic subset of RFC 5321 §4.1.2 and §4.5.3.1, close to HTML's "valid e-mail
 * address"): leading and trailing white space (including no-break spaces) is dropped; then one
 * {@code @}; a local part of 1–64 ASCII {@code atext} characters and dots, no leading, trailing or
 * double dot (no quoted strings, comments, escapes, source routes or IP literals); a domain of at least
 * two labels, each 1–63 letters, digits or hyphens (no leading or trailing hyphen) after IDNA
 * conversion, top-level label not all digits, at most 253 characters; at most 254 in all. Control,
 * format (zero-width, bidi overrides), private-use, unassigned and space characters are refused
 * anywhere, before normalization. No provider-specific folding: dots and {@code +tags} are kept, since
 * a different string may be a different mailbox.
 *
 * <p>Look-alikes, decided one by one (see {@code EmailAddressTest}):
 * <ul>
 *   <li>Local parts are ASCII only (RFC 6531 internationalized local parts are not supported), checked
 *       after NFKC and before lower-casing, so no Unicode case rule can turn a foreign letter into an
 *       ASCII one. Dotless {@code ı} (U+0131), Turkish {@code İ} (U+0130), {@code ß} and Cyrillic
 *       letters in the local part are refused.</li>
 *   <li>Kelvin sign {@code K} (U+212A), full-width forms ({@code ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ}), long
 *       {@code ſ} and ligatures are compatibility characters: NFKC turns them into their ASCII letters,
 *       so they name the same mailbox as the ASCII spelling and get the same canonical form.</li>
 *   <li>Domains go through {@link IDN#toASCII(String, int)} with {@link IDN#USE_STD3_ASCII_RULES}:
 *       a domain with any non-ASCII letter ({@code ı}, {@code İ}, Cyrillic {@code а}) becomes an
 *       {@code xn--} label, so it can never equal or pose as the ASCII domain it resembles.</li>
 *   <li>{@code ß}, {@code ẞ}, final sigma {@code ς}, ZWJ and ZWNJ (UTS #46 "deviation" characters) are
 *       refused in domains: the JDK implements IDNA2003, which maps {@code straße.de} to
 *       {@code strasse.de}, while registries use IDNA2008, where they are two different domains. A typed
 *       {@code xn--} label must round-trip through IDNA2003 for the same reason.</li>
 * </ul>
 *
 * <p>Email addresses are personal data: {@link #toString()} masks the local part, and exceptions
 * ({@link AccountException#invalidEmail()}) never contain the input.
 */
public final class EmailAddress {

    /** Longest address accepted (RFC 5321 §4.5.3.1.3 path limit less the angle brackets). */
    public static final int MAX_LENGTH = 254;
    /** Longest local part accepted (RFC 5321 §4.5.3.1.1). */
    public static final int MAX_LOCAL_LENGTH = 64;
    private static final int MAX_DOMAIN_LENGTH = 253;
    /** Inputs longer than this are refused before any normalization work. */
    private static final int MAX_INPUT_CHARS = 1024;

    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
    private static final Pattern LOCAL_PART = Pattern.compile(ATEXT + "+(\\." + ATEXT + "+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final String display;
    private final String mailbox;
    private final String canonical;

    private EmailAddress(String display, String mailbox, String canonical) {
        this.display = display;
        this.mailbox = mailbox;
        this.canonical = canonical;
    }

    /**
     * Parses and validates an address as a person typed it (also used to re-read a stored one).
     *
     * @throws AccountException {@code VALIDATION_ERROR} / {@code INVALID_EMAIL}, without the address
     */
    public static EmailAddress parse(String input) {
        if (input == null || input.length() > MAX_INPUT_CHARS) {
            throw AccountException.invalidEmail();
        }
        String typed = stripSpace(input);
        if (typed.isEmpty() || !typed.codePoints().allMatch(EmailAddress::allowedCodePoint)) {
            throw AccountException.invalidEmail();
        }
        String compatible = Normalizer.normalize(typed, Normalizer.Form.NFKC);
        int at = compatible.indexOf('@');
        if (at <= 0 || at != compatible.lastIndexOf('@') || at == compatible.length() - 1) {
            throw AccountException.invalidEmail();
        }
        String local = compatible.substring(0, at);
        if (local.length() > MAX_LOCAL_LENGTH || !LOCAL_PART.matcher(local).matches()) {
            throw AccountException.invalidEmail();
        }
        String domain = asciiDomain(compatible.substring(at + 1));
        String canonical = local.toLowerCase(Locale.ROOT) + "@" + domain;
        if (canonical.length() > MAX_LENGTH) {
            throw AccountException.invalidEmail();
        }
        return new EmailAddress(Normalizer.normalize(typed, Normalizer.Form.NFC), local + "@" + domain, canonical);
    }

    /** The key for uniqueness and lookup: lower-case ASCII, domain as A-labels. */
    public String canonical() {
        return canonical;
    }

    /** Where mail goes: the typed local part (ASCII, case kept) at the ASCII domain. */
    public String mailbox() {
        return mailbox;
    }

    /** The address as its owner typed it (trimmed, NFC), for display to that owner only. */
    public String display() {
        return display;
    }

    /** The canonical local part. */
    public String localPart() {
        return canonical.substring(0, canonical.indexOf('@'));
    }

    /** The canonical domain (lower-case, A-labels). */
    public String domain() {
        return canonical.substring(canonical.indexOf('@') + 1);
    }

    /** A form safe for logs and support screens: first character of the local part, then {@code ***}. */
    public String masked() {
        return canonical.charAt(0) + "***@" + domain();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EmailAddress e && e.canonical.equals(canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    /** Masked: email addresses are personal data and must not reach logs through string concatenation. */
    @Override
    public String toString() {
        return "EmailAddress[" + masked() + "]";
    }

    private static String asciiDomain(String domain) {
        if (domain.codePoints().anyMatch(EmailAddress::idnaDeviation)) {
            throw AccountException.invalidEmail();
        }
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw AccountException.invalidEmail();
        }
        if (ascii.length() > MAX_DOMAIN_LENGTH) {
            throw AccountException.invalidEmail();
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 || DIGITS.matcher(labels[labels.length - 1]).matches()) {
            throw AccountException.invalidEmail();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches() || !roundTrips(label)) {
                throw AccountException.invalidEmail();
            }
        }
        return ascii;
    }

    /** An A-label must decode, and encode back to itself (no IDNA2003 mapping such as ß → ss hidden in it). */
    private static boolean roundTrips(String label) {
        if (!label.startsWith("xn--")) {
            return true;
        }
        try {
            String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
            return !unicode.equals(label)
                    && unicode.codePoints().noneMatch(EmailAddress::idnaDeviation)
                    && IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equals(label);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean idnaDeviation(int codePoint) {
        return codePoint == 0x00DF || codePoint == 0x1E9E || codePoint == 0x03C2
                || codePoint == 0x200C || codePoint == 0x200D;
    }

    private static boolean allowedCodePoint(int codePoint) {
        if (space(codePoint)) {
            return false;
        }
        int type = Character.getType(codePoint);
        return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
                && type != Character.PRIVATE_USE && type != Character.UNASSIGNED;
    }

    private static boolean space(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static String stripSpace(String input) {
        int start = 0;
        int end = input.length();
        while (start < end && space(input.codePointAt(start))) {
            start += Character.charCount(input.codePointAt(start));
        }
        while (end > start && space(input.codePointBefore(end))) {
            end -= Character.charCount(input.codePointBefore(end));
        }
        return input.substring(start, end);
    }
}
