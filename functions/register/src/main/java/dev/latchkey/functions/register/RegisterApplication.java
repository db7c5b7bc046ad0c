package dev.latchkey.functions.register;

import dev.latchkey.core.http.Router;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The register function's {@code MAIN_CLASS}: sign-up, email verification and resend (API.md
 * "register"), wired by the {@link CompositionRoot} at init — before a SnapStart snapshot. The slow parts every sign-up
 * needs (the nbvcxz dictionaries, a first Argon2id hash) are built by SnapStart priming, else by the first sign-up
 * (not at init: measured slower, see docs/performance.md). No priming route: every route writes.
 *
 * <p>Needs {@code LATCHKEY_ISSUER} (the verification mail names {@code <issuer>/v1/auth/email/verify}):
 * without it the function fails at init with a {@code ConfigException} naming the variable.
 */
public final class RegisterApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "register";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(RegisterApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(CompositionRoot root) {
        return RegisterEndpoints.routes(root.registerUser(), root.verifyEmail(), root.resendVerification(),
                root.config().registrationDisclosure());
    }
}
