package dev.latchkey.core.account;

import java.time.Instant;
import java.util.Objects;

/**
 * A person's account as stored ({@code USER#<id>} / {@code PROFILE}).
 *
 * <p>{@link #toString()} prints neither the password hash nor the name, and the email only masked:
 * a user logged by accident leaks no credential and no personal data.
 *
 * @param id {@code usr_…}
 * @param email the address as registered; {@link EmailAddress#canonical()} is the account's unique key,
 *     {@link EmailAddress#mailbox()} is where mail goes
 * @param name the display name (NFC, trimmed, 1–{@value RegisterUserCommand#MAX_NAME_LENGTH} code points)
 * @param passwordHash the PHC string of {@link PasswordHasher#hash(String)}; verify it with
 *     {@link PasswordHasher#verify(String, String)} after {@link PasswordPolicy#normalize(String)}; empty for an
 *     account without a password ({@link #hasPassword()}: one that signs in with passkeys only)
 * @param emailVerified whether the owner proved control of the address
 * @param createdAt when the account was registered
 * @param personalOrganizationId the {@code org_…} created with the account, which the user owns
 * @param disabled whether an operator disabled the account ({@code latchkey user disable}): it cannot log in (password
 *     or passkey), reset its password or refresh a session until enabled again
 */
public record User(String id, EmailAddress email, String name, String passwordHash, boolean emailVerified,
        Instant createdAt, String personalOrganizationId, boolean disabled) {

    /** An enabled user. */
    public User(String id, EmailAddress email, String name, String passwordHash, boolean emailVerified,
            Instant createdAt, String personalOrganizationId) {
        this(id, email, name, passwordHash, emailVerified, createdAt, personalOrganizationId, false);
    }

    /** @throws NullPointerException for a missing field; @throws IllegalArgumentException for a foreign id kind */
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(personalOrganizationId, "personalOrganizationId");
        if (!id.startsWith("usr_")) {
            throw new IllegalArgumentException("user id must start with usr_");
        }
        if (!personalOrganizationId.startsWith("org_")) {
            throw new IllegalArgumentException("organization id must start with org_");
        }
    }

    /** Whether the account has a password (a passkey-only account has none). */
    public boolean hasPassword() {
        return !passwordHash.isEmpty();
    }

    /** The same user with {@code emailVerified} set. */
    public User withEmailVerified(boolean value) {
        return new User(id, email, name, passwordHash, value, createdAt, personalOrganizationId, disabled);
    }

    /** Id, masked email and flags only: no password hash, no name. */
    @Override
    public String toString() {
        return "User[id=" + id + ", email=" + email.masked() + ", emailVerified=" + emailVerified + ", createdAt="
                + createdAt + ", personalOrganizationId=" + personalOrganizationId + ", disabled=" + disabled + "]";
    }
}
