package dev.latchkey.core.account;

import java.util.Locale;

/**
 * Whether sign-up tells that an address is taken ({@code LATCHKEY_REGISTRATION_DISCLOSURE}, issue 11 §7; ASVS 5.0
 * 6.3.8, OWASP Authentication Cheat Sheet "Account creation").
 */
public enum RegistrationDisclosure {
    /** {@code explicit} (the default, for compatibility): a taken address answers 409 {@code EMAIL_TAKEN}. */
    EXPLICIT,
    /**
     * {@code silent}: a new and a taken address both answer the same 202; the owner of a taken address gets a
     * "someone tried to sign up with your address" mail (rate-limited), and nothing is created.
     */
    SILENT;

    /**
     * Parses {@code explicit} or {@code silent} (any case).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static RegistrationDisclosure parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
