package dev.latchkey.core.session;

import java.util.Objects;

/**
 * The {@code user} object of a token response (API.md "login").
 *
 * @param id {@code usr_…}
 * @param email the user's email address
 * @param name the display name
 */
public record UserProfile(String id, String email, String name) {

    /** Checks nothing is missing. */
    public UserProfile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(name, "name");
    }

    /** Never prints the email address. */
    @Override
    public String toString() {
        return "UserProfile[" + id + "]";
    }
}
