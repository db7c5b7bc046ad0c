package dev.latchkey.core.account;

import dev.latchkey.core.text.DisplayName;
import java.util.Objects;

/**
 * The input of {@link RegisterUser}, valid by construction: a parsed email, a password that is present
 * (its policy is checked by the use case, after the rate limit, since strength estimation costs CPU),
 * and a display name of 1–{@value #MAX_NAME_LENGTH} code points after NFC and trimming, by the one
 * {@link DisplayName} rule (no control, invisible or bidirectional formatting characters).
 *
 * <p>{@link #toString()} masks the email and never prints the password or the name.
 *
 * @param email the address
 * @param password the password as typed (not yet normalized)
 * @param name the normalized display name
 */
public record RegisterUserCommand(EmailAddress email, String password, String name) {

    /** Longest display name, in code points. */
    public static final int MAX_NAME_LENGTH = 100;

    /**
     * Validates and normalizes.
     *
     * @throws AccountException {@code VALIDATION_ERROR}: {@code REQUIRED} (email, password or name missing)
     *     or {@code INVALID_NAME}
     */
    public RegisterUserCommand {
        if (email == null) {
            throw AccountException.required("email");
        }
        if (password == null) {
            throw AccountException.required("password");
        }
        name = normalizeName(name);
    }

    /**
     * Parses the raw request fields, in the order email, password, name.
     *
     * @throws AccountException {@code VALIDATION_ERROR}: {@code REQUIRED}, {@code INVALID_EMAIL} or
     *     {@code INVALID_NAME}; never with the input in it
     */
    public static RegisterUserCommand of(String email, String password, String name) {
        if (email == null) {
            throw AccountException.required("email");
        }
        return new RegisterUserCommand(EmailAddress.parse(email), password, name);
    }

    /**
     * A display name as stored: NFC, surrounding white space removed, 1–{@value #MAX_NAME_LENGTH} code
     * points, and none of the characters {@link DisplayName} refuses (controls, separators, unpaired surrogates,
     * bidirectional controls, zero-width and other invisible format characters, BOM, tag characters), so a
     * member list cannot be spoofed with it.
     *
     * @throws AccountException {@code REQUIRED} for null, {@code INVALID_NAME} otherwise
     */
    public static String normalizeName(String name) {
        if (name == null) {
            throw AccountException.required("name");
        }
        if (name.length() > 4 * MAX_NAME_LENGTH) {
            throw AccountException.invalidName(MAX_NAME_LENGTH);
        }
        String normalized = DisplayName.normalize(name);
        if (DisplayName.problem(normalized, MAX_NAME_LENGTH).isPresent()) {
            throw AccountException.invalidName(MAX_NAME_LENGTH);
        }
        return normalized;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RegisterUserCommand c && c.email.equals(email) && c.password.equals(password)
                && c.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(email, name);
    }

    /** Masked email; no password, no name. */
    @Override
    public String toString() {
        return "RegisterUserCommand[email=" + email.masked() + ", password=<redacted>, name=<redacted>]";
    }
}
