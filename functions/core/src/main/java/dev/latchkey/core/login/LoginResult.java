package dev.latchkey.core.login;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.latchkey.core.session.TokenResponse;
import java.util.List;
import java.util.Objects;

/**
 * What a first login step (password) answers: either the tokens of a new session, or — for a user with a second
 * factor — that a second step is required ({@code POST /v1/auth/login/mfa}, docs/mfa.md).
 */
public sealed interface LoginResult {

    /**
     * The tokens, for a caller that has just checked there is no second step.
     *
     * @throws IllegalStateException when a second step is required
     */
    @JsonIgnore
    default TokenResponse tokens() {
        if (this instanceof Tokens tokens) {
            return tokens.response();
        }
        throw new IllegalStateException("a second factor is required");
    }

    /**
     * The login is complete.
     *
     * @param response the new session's token response
     */
    record Tokens(TokenResponse response) implements LoginResult {

        /** Checks nothing is missing. */
        public Tokens {
            Objects.requireNonNull(response, "response");
        }
    }

    /**
     * The password was right and a second factor is required: {@code 200 {"mfa_required": true, "mfa_token": …,
     * "methods": […], "expires_in": …}}. The token is single use, short-lived and bound to the user and this step.
     *
     * @param mfaToken the opaque token for {@code POST /v1/auth/login/mfa}
     * @param methods the second factors the user can use, such as {@code ["totp", "recovery_code"]}
     * @param expiresIn the token's lifetime in seconds
     */
    record MfaRequired(String mfaToken, List<String> methods, long expiresIn) implements LoginResult {

        /** Checks nothing is missing. */
        public MfaRequired {
            Objects.requireNonNull(mfaToken, "mfaToken");
            methods = List.copyOf(methods);
        }

        /** Always {@code true}: the discriminator clients test. */
        public boolean mfaRequired() {
            return true;
        }

        /** Never prints the token. */
        @Override
        public String toString() {
            return "MfaRequired[methods=" + methods + "]";
        }
    }
}
