package dev.latchkey.functions.login;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The login function's {@code MAIN_CLASS}: password login, logout, {@code /v1/users/me}, password change,
 * forgot and reset, the caller's own sessions, and second factors (TOTP, recovery codes:
 * {@link MfaEndpoints}) (API.md "login"), wired by the {@link CompositionRoot} at init. The nbvcxz dictionaries
 * (only password change and reset estimate strength) and the first Argon2id hash are left to their first use or to
 * SnapStart priming, not loaded at init: most of this function's requests need neither. No priming route: every
 * route writes (a rate-limit counter at least) or needs a token.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} at init (the access-token verifier's issuer and audience, the reset
 * mail's URL): without it the function fails with a {@code ConfigException} naming the variable.
 */
public final class LoginApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "login";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(LoginApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        Router.Builder routes = Router.builder();
        LoginEndpoints.register(routes, new LoginEndpoints.UseCases(
                root.passwordLogin(),
                root.endSession(),
                root.bearer(),
                root.showCurrentUser(),
                root.changePassword(),
                root.forgotPassword(),
                root.resetPassword(),
                root.listSessions(),
                root.endSessionById()));
        MfaEndpoints.register(routes, new MfaEndpoints.UseCases(root.mfaLogin(), root.totpEnrolment(),
                root.manageMfa(), root.bearer()));
        return routes.build();
    }
}
