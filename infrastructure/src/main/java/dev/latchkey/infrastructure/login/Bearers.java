package dev.latchkey.infrastructure.login;

import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.session.LiveAccessTokens;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.core.token.AccessTokenVerifier;
import java.util.Objects;
import java.util.Set;

/**
 * The one way every function builds the authentication of its management routes: a {@link BearerAuthentication}
 * whose verifier accepts only the issuer as audience, with the liveness check ({@link LiveAccessTokens}) on the
 * session table. Login, passkey, API-key and organization functions all call this, so no route can forget the
 * check.
 */
public final class Bearers {

    private Bearers() {
    }

    /**
     * The management-route authentication of this runtime.
     *
     * @throws dev.latchkey.core.config.ConfigException without {@code LATCHKEY_ISSUER}
     */
    public static BearerAuthentication of(LatchkeyRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        String issuer = runtime.config().requireIssuer().toString();
        return new BearerAuthentication(
                new AccessTokenVerifier(runtime.currentKeys(), issuer, Set.of(issuer), runtime.clock()),
                new LiveAccessTokens(new DynamoDbSessionRepository(runtime.dynamoDb(), runtime.config().tableName()),
                        runtime.clock()));
    }
}
