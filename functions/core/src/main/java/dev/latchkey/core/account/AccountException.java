package dev.latchkey.core.account;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An account input or stored account credential that cannot be used. Each factory has a stable
 * {@link Reason}, sent to the client as {@code details.reason} next to the {@link #code() code}.
 *
 * <p>Never carries the email address, the password, a password hash or anything derived from them:
 * messages and details are fixed texts, configured limits and estimator hints that
 * {@link PasswordPolicy} has checked do not echo the password.
 */
public final class AccountException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    /** Why an account input was refused; names are part of the public contract. */
    public enum Reason {
        /** The email address does not parse under {@link EmailAddress}'s rules. */
        INVALID_EMAIL,
        /** Fewer code points than the policy's minimum length (after NFKC). */
        TOO_SHORT,
        /** More than {@link PasswordPolicy#MAX_LENGTH} code points: refused before any hashing. */
        TOO_LONG,
        /** The strength estimator found the password easy to guess (common, a pattern, personal data). */
        TOO_COMMON,
        /** Control characters or unpaired surrogates, which UTF-8 cannot carry faithfully. */
        INVALID_CHARACTERS,
        /** A stored password hash is malformed, of another algorithm or out of bounds (server side). */
        UNREADABLE_PASSWORD_HASH,
        /** A required field is missing or null. */
        REQUIRED,
        /** The display name is empty, too long or holds control characters. */
        INVALID_NAME,
        /** Another account already uses this email address (same canonical form). */
        EMAIL_TAKEN,
        /** An email verification token is malformed, unknown, already used or expired (one reason for all). */
        INVALID_TOKEN
    }

    private final Reason reason;

    private AccountException(ErrorCode code, Reason reason, String message, Map<String, Object> details) {
        super(code, message, details, null);
        this.reason = reason;
    }

    /** 400 {@code VALIDATION_ERROR}, reason {@code INVALID_EMAIL}; the address itself is never included. */
    public static AccountException invalidEmail() {
        return new AccountException(ErrorCode.VALIDATION_ERROR, Reason.INVALID_EMAIL,
                "Email address is not valid.", Map.of("field", "email", "reason", Reason.INVALID_EMAIL.name()));
    }

    /** 400 {@code VALIDATION_ERROR}, reason {@code TOO_SHORT}. */
    public static AccountException passwordTooShort(int minLength) {
        return password(Reason.TOO_SHORT, "Password must be at least " + minLength + " characters.", minLength, null);
    }

    /** 400 {@code VALIDATION_ERROR}, reason {@code TOO_LONG}. */
    public static AccountException passwordTooLong(int minLength) {
        return password(Reason.TOO_LONG, "Password must be at most " + PasswordPolicy.MAX_LENGTH + " characters.",
                minLength, null);
    }

    /**
     * 400 {@code VALIDATION_ERROR}, reason {@code TOO_COMMON}.
     *
     * @param hint a short human-readable hint that must not contain the password
     */
    public static AccountException passwordTooCommon(int minLength, String hint) {
        Objects.requireNonNull(hint, "hint");
        return password(Reason.TOO_COMMON, "Password is too easy to guess. " + hint, minLength, hint);
    }

    /** 400 {@code VALIDATION_ERROR}, reason {@code INVALID_CHARACTERS}. */
    public static AccountException passwordInvalidCharacters(int minLength) {
        return password(Reason.INVALID_CHARACTERS, "Password contains control characters or invalid Unicode.",
                minLength, null);
    }

    /**
     * 500 {@code INTERNAL_ERROR}, reason {@code UNREADABLE_PASSWORD_HASH}: the stored hash cannot be
     * verified (malformed, unknown algorithm or version, parameters out of bounds). A bug or tampered
     * data; the login fails closed. No detail reaches the client.
     */
    public static AccountException unreadablePasswordHash() {
        return new AccountException(ErrorCode.INTERNAL_ERROR, Reason.UNREADABLE_PASSWORD_HASH,
                "Stored password hash cannot be read.", Map.of());
    }

    /**
     * 400 {@code VALIDATION_ERROR}, reason {@code REQUIRED}.
     *
     * @param field the request field's name (a fixed code string, never input)
     */
    public static AccountException required(String field) {
        Objects.requireNonNull(field, "field");
        return new AccountException(ErrorCode.VALIDATION_ERROR, Reason.REQUIRED, "Field '" + field + "' is required.",
                Map.of("field", field, "reason", Reason.REQUIRED.name()));
    }

    /** 400 {@code VALIDATION_ERROR}, reason {@code INVALID_NAME}; the name itself is never included. */
    public static AccountException invalidName(int maxLength) {
        return new AccountException(ErrorCode.VALIDATION_ERROR, Reason.INVALID_NAME,
                "Name must have 1-" + maxLength
                        + " characters and no control, invisible or bidirectional formatting characters.",
                Map.of("field", "name", "reason", Reason.INVALID_NAME.name(), "max_length", maxLength));
    }

    /**
     * 409 {@code CONFLICT}, reason {@code EMAIL_TAKEN}. Generic text: neither the address nor the
     * other account is named.
     */
    public static AccountException emailTaken() {
        return new AccountException(ErrorCode.CONFLICT, Reason.EMAIL_TAKEN,
                "An account with this email address already exists.",
                Map.of("field", "email", "reason", Reason.EMAIL_TAKEN.name()));
    }

    /**
     * 400 {@code VALIDATION_ERROR}, reason {@code INVALID_TOKEN}: one message for a malformed, unknown,
     * used or expired verification token, so the answer says nothing about which it was.
     */
    public static AccountException invalidVerificationToken() {
        return new AccountException(ErrorCode.VALIDATION_ERROR, Reason.INVALID_TOKEN,
                "Verification token is invalid or has expired.",
                Map.of("field", "token", "reason", Reason.INVALID_TOKEN.name()));
    }

    private static AccountException password(Reason reason, String message, int minLength, String hint) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "password");
        details.put("reason", reason.name());
        details.put("min_length", minLength);
        details.put("max_length", PasswordPolicy.MAX_LENGTH);
        if (hint != null) {
            details.put("hint", hint);
        }
        return new AccountException(ErrorCode.VALIDATION_ERROR, reason, message, details);
    }

    /** The stable reason. */
    public Reason reason() {
        return reason;
    }
}
