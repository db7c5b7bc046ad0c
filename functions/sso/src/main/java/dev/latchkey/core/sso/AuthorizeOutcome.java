package dev.latchkey.core.sso;

import java.util.List;
import java.util.Objects;

/** What the authorization endpoint answers: a redirect to the client, an error page, or one of the hosted pages. */
public sealed interface AuthorizeOutcome {

    /**
     * Back to the client's redirect URI, with a code or an error, always with {@code iss} (RFC 9207).
     *
     * @param location the full URI
     */
    record Redirect(String location) implements AuthorizeOutcome {
        /** Validates. */
        public Redirect {
            Objects.requireNonNull(location, "location");
        }
    }

    /**
     * The error page: the client or its redirect URI cannot be trusted, so nothing is redirected (RFC 6749 §4.1.2.1,
     * RFC 9700 §4.11 open redirectors).
     *
     * @param error what is wrong
     */
    record ErrorPage(AuthorizationError error) implements AuthorizeOutcome {
    }

    /**
     * The sign-in page.
     *
     * @param request the request to continue with after sign-in
     */
    record SignIn(AuthorizationRequest request) implements AuthorizeOutcome {
    }

    /**
     * The sign-up page ({@code prompt=create}).
     *
     * @param request the request to continue with after sign-up and sign-in
     */
    record SignUp(AuthorizationRequest request) implements AuthorizeOutcome {
    }

    /**
     * The consent page of a third-party application.
     *
     * @param request the request
     * @param user who is asked
     * @param scopes the scopes to list
     */
    record Consent(AuthorizationRequest request, SignedInUser user, List<String> scopes) implements AuthorizeOutcome {
        /** Copies. */
        public Consent {
            scopes = List.copyOf(scopes);
        }
    }
}
