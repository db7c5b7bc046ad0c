package dev.latchkey.core.client;

import java.util.Objects;
import java.util.Optional;

/**
 * How a caller authenticates as a client at the token or introspection endpoint (RFC 6749 §2.3, RFC 7523 §2.2):
 * exactly one of these per request. {@link #toString()} never shows a secret or an assertion.
 */
public sealed interface PresentedClientCredentials {

    /** The {@code token_endpoint_auth_method} name (RFC 7591 §2), for the audit event. */
    String method();

    /**
     * {@code client_secret_basic} (RFC 6749 §2.3.1, already form-decoded from the Basic header) or
     * {@code client_secret_post}.
     *
     * @param clientId the presented client id
     * @param secret the presented secret
     * @param basic whether it came in an {@code Authorization: Basic} header (the 401 then carries a Basic
     *     challenge, RFC 6749 §5.2)
     */
    record Secret(String clientId, String secret, boolean basic) implements PresentedClientCredentials {

        /** Checks that nothing is missing. */
        public Secret {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String method() {
            return basic ? "client_secret_basic" : "client_secret_post";
        }

        @Override
        public String toString() {
            return "Secret[" + method() + ", <redacted>]";
        }
    }

    /**
     * {@code private_key_jwt} (RFC 7523 §2.2): a {@code client_assertion} of type
     * {@value ClientAssertions#ASSERTION_TYPE}.
     *
     * @param clientId the {@code client_id} parameter, if sent (it must then name the assertion's client)
     * @param assertion the signed JWT
     */
    record Assertion(Optional<String> clientId, String assertion) implements PresentedClientCredentials {

        /** Checks that nothing is missing. */
        public Assertion {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(assertion, "assertion");
        }

        @Override
        public String method() {
            return "private_key_jwt";
        }

        @Override
        public String toString() {
            return "Assertion[private_key_jwt, <redacted>]";
        }
    }
}
