package dev.latchkey.functions.passkey;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The passkey function's {@code MAIN_CLASS}: registration and login ceremonies and the signed-in user's passkeys
 * (API.md "passkey"), over the use cases the {@link CompositionRoot} wires at init. No priming route: every
 * route writes (a challenge, a rate-limit counter) or needs a token.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} at init (the access tokens' issuer and audience, and the default WebAuthn RP id
 * and origin): without it the function fails with a {@code ConfigException} naming the variable. A bad
 * {@code LATCHKEY_WEBAUTHN_*} value fails it the same way.
 */
public final class PasskeyApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "passkey";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(PasskeyApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        return PasskeyEndpoints.routes(new PasskeyEndpoints.UseCases(
                root.bearer(),
                root.startPasskeyRegistration(),
                root.finishPasskeyRegistration(),
                root.startPasskeyLogin(),
                root.finishPasskeyLogin(),
                root.managePasskeys()));
    }
}
