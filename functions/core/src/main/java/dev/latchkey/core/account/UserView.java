package dev.latchkey.core.account;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The public view of a user that every route answering with a user shares (API.md {@code user}):
 * {@code id, email, name, email_verified, created_at} — never the password hash.
 */
public final class UserView {

    private UserView() {
    }

    /** The view, in the contract's field order. */
    public static Map<String, Object> of(User user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id());
        view.put("email", user.email().display());
        view.put("name", user.name());
        view.put("email_verified", user.emailVerified());
        view.put("created_at", user.createdAt().toString());
        return view;
    }
}
