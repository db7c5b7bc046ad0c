package dev.latchkey.core.account;

import java.util.Objects;

/**
 * What {@link RegisterUser} created.
 *
 * @param user the new user (email not yet verified)
 * @param organization the user's personal organization, which the user owns
 * @param verificationMailSent whether the verification mail was handed to the transport; when false
 *     the account exists anyway and the user asks for another mail through resend
 */
public record RegisteredAccount(User user, PersonalOrganization organization, boolean verificationMailSent) {

    /** Validates the fields. */
    public RegisteredAccount {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(organization, "organization");
    }
}
