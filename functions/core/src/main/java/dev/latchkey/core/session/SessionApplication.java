package dev.latchkey.core.session;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What makes a refresh-token family an application's ({@code offline_access}, OpenID Connect Core §11): the
 * application it was issued to (RFC 6749 §6: "the refresh token is bound to the client to which it was issued") and
 * the sign-in session whose authentication it carries on (the ID tokens' {@code sid}; ending that session ends the
 * family).
 *
 * @param clientId the application, {@code app_…}
 * @param signInSessionId the sign-in session, {@code ses_…}
 * @param scope the scopes granted with the code, {@code offline_access} included: a refresh may narrow them, never
 *     widen them (RFC 6749 §6)
 */
public record SessionApplication(String clientId, String signInSessionId, List<String> scope) {

    private static final Pattern ID = Pattern.compile("[a-z]{2,4}_[0-9A-HJKMNP-TV-Z]{26}");

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when an id is malformed or the scope is empty
     */
    public SessionApplication {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(signInSessionId, "signInSessionId");
        if (!clientId.startsWith("app_") || !ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("clientId must be an app_ id");
        }
        if (!signInSessionId.startsWith("ses_") || !ID.matcher(signInSessionId).matches()) {
            throw new IllegalArgumentException("signInSessionId must be a ses_ id");
        }
        scope = List.copyOf(scope);
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("scope must not be empty");
        }
    }
}
