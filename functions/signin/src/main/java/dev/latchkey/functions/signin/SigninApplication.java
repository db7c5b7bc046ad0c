package dev.latchkey.functions.signin;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The signin function's {@code MAIN_CLASS}: the OpenID Provider's browser side — {@code GET/POST /oauth/authorize},
 * the hosted sign-in, sign-up, consent and logout pages and their script, the single sign-on cookie (docs/oidc.md).
 * Passwords and passkeys never reach it: the pages' script calls the login and passkey functions' routes (same
 * origin), and this function turns the access token of that sign-in into the browser session. So it carries neither
 * Argon2id nor webauthn4j. No priming route: every route reads the table or needs a cookie.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} at init (the {@code iss} of every response, the Origin check, the access-token
 * verifier).
 */
public final class SigninApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "signin";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(SigninApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        var sso = root.sso();
        return SigninEndpoints.routes(new SigninEndpoints.UseCases(sso.validateAuthorizationRequest(),
                sso.authorize(), sso.browserSessions(), sso.rpInitiatedLogout(), root.config().requireIssuer()));
    }
}
