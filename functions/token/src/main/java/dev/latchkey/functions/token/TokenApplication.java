package dev.latchkey.functions.token;

import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.RevokeToken;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.infrastructure.apikey.ApiKeyComponents;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.session.DynamoDbUserProfiles;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The token function's {@code MAIN_CLASS}: {@code POST /oauth/token} (refresh and API-key token-exchange
 * grants) and {@code POST /oauth/revoke}, wired to the runtime's table, key vault, signing keys, audit log and
 * rate limiter. No SnapStart priming route: every route writes (a rate-limit counter at least).
 *
 * <p>The issuer ({@code LATCHKEY_ISSUER}) is read when the first token is issued, not at start-up,
 * so that error responses need no issuer configured.
 */
public final class TokenApplication extends LatchkeyFunctionApplication {

    /** The function's bean name. */
    public static final String FUNCTION = "token";

    /** Starts the function outside Lambda (for experiments; Lambda uses FunctionInvoker). */
    public static void main(String[] args) {
        FunctionalSpringApplication.run(TokenApplication.class, args);
    }

    @Override
    protected String functionName() {
        return FUNCTION;
    }

    @Override
    protected Router routes(LatchkeyRuntime runtime) {
        String table = runtime.config().tableName();
        SessionPolicy policy = SessionPolicy.defaults();
        SessionRepository sessions = new DynamoDbSessionRepository(runtime.dynamoDb(), table);
        RefreshTokenCrypto crypto = new RefreshTokenCrypto(
                new DynamoDbPeppers(runtime.dynamoDb(), table, runtime.keyVault(), runtime.random(), runtime.clock()),
                runtime.random());
        SessionTokens tokens = new SessionTokens(runtime.currentKeys(),
                () -> runtime.config().requireIssuer().toString(), policy, runtime.clock(), runtime.random());
        RefreshSession refresh = new RefreshSession(sessions, new DynamoDbUserProfiles(runtime.dynamoDb(), table),
                crypto, tokens, policy, runtime.auditLog(), runtime.ids(), runtime.clock(), runtime.random());
        RevokeToken revoke = new RevokeToken(sessions, crypto, runtime.auditLog(), runtime.ids(), runtime.clock());
        ExchangeApiKey exchange = new ExchangeApiKey(ApiKeyComponents.of(runtime).verify(), runtime.currentKeys(),
                () -> runtime.config().requireIssuer().toString(), policy.accessTokenLifetime(), runtime.auditLog(),
                runtime.ids(), runtime.clock(), runtime.random());
        return TokenEndpoints.routes(refresh, revoke, exchange, runtime.rateLimiter());
    }
}
