package dev.latchkey.core.application;

import dev.latchkey.core.account.User;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard claims about the user that a scope releases (OpenID Connect Core §5.4), the one rule behind the ID
 * token's profile claims and the userinfo response: {@code email} → {@code email}, {@code email_verified};
 * {@code profile} → {@code name} (when the user has one). {@code sub} is not among them (each caller adds it).
 */
public final class UserClaims {

    /** The claims Latchkey can release (discovery's {@code claims_supported} adds the ID token's own). */
    public static final List<String> SUPPORTED = List.of("sub", "email", "email_verified",
            "name");

    private UserClaims() {
    }

    /** The claims {@code scopes} release about {@code user}. */
    public static Map<String, Object> of(User user, Collection<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains("email")) {
            claims.put("email", user.email().mailbox());
            claims.put("email_verified", user.emailVerified());
        }
        if (scopes.contains("profile") && user.name() != null && !user.name().isBlank()) {
            claims.put("name", user.name());
        }
        return claims;
    }
}
