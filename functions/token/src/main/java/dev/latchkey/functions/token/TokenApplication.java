package dev.latchkey.functions.token;

import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.client.AllowedResources;
import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.introspect.IntrospectToken;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.oauth.OAuthProtocol;
import dev.latchkey.core.resource.TokenAudiences;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.RefreshTokenCrypto;
import dev.latchkey.core.session.RevokeToken;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.token.AccessTokenType;
import dev.latchkey.infrastructure.apikey.ApiKeyComponents;
import dev.latchkey.infrastructure.client.ClientComponents;
import dev.latchkey.infrastructure.client.DynamoDbAssertionReplayStore;
import dev.latchkey.infrastructure.lambda.LatchkeyFunctionApplication;
import dev.latchkey.infrastructure.resource.ResourceComponents;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.session.DynamoDbUserProfiles;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import java.util.function.Supplier;
import org.springframework.cloud.function.context.FunctionalSpringApplication;

/**
 * The token function's {@code MAIN_CLASS}: {@code POST /oauth/token} (refresh, API-key token-exchange,
 * client-credentials and jwt-bearer grants), {@code POST /oauth/revoke} and {@code POST /oauth/introspect}, wired
 * to the runtime's table, key vault, signing keys, audit log and rate limiter, the clients'
 * ({@link ClientComponents}) and the resources' ({@link ResourceComponents}) adapters. No SnapStart priming route:
 * every route writes (a rate-limit counter at least).
 *
 * <p>The issuer ({@code LATCHKEY_ISSUER}) is read when the first token is issued or checked, not at start-up,
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
        Supplier<String> issuer = () -> runtime.config().requireIssuer().toString();
        SessionPolicy policy = SessionPolicy.defaults();
        SessionRepository sessions = new DynamoDbSessionRepository(runtime.dynamoDb(), table);
        RefreshTokenCrypto crypto = new RefreshTokenCrypto(
                new DynamoDbPeppers(runtime.dynamoDb(), table, runtime.keyVault(), runtime.random(), runtime.clock()),
                runtime.random());
        AccessTokenType type = runtime.config().accessTokenType();
        SessionTokens tokens = new SessionTokens(runtime.currentKeys(), issuer, policy, runtime.clock(),
                runtime.random(), type, runtime.config().firstPartyClientId());
        ResourceComponents resources = ResourceComponents.of(runtime);
        TokenAudiences audiences = resources.audiences();
        RefreshSession refresh = new RefreshSession(sessions, new DynamoDbUserProfiles(runtime.dynamoDb(), table),
                crypto, tokens, policy, audiences, runtime.auditLog(), runtime.ids(), runtime.clock(),
                runtime.random());
        ApiKeyComponents apiKeys = ApiKeyComponents.of(runtime);
        InspectApiKey inspectApiKey = new InspectApiKey(apiKeys.repository(), apiKeys.hasher(), runtime.clock());
        RevokeOAuthToken revoke = new RevokeOAuthToken(runtime.currentKeys(), issuer, sessions,
                new RevokeToken(sessions, crypto, runtime.auditLog(), runtime.ids(), runtime.clock()), inspectApiKey,
                apiKeys.manage(), runtime.auditLog(), runtime.ids(), runtime.clock());
        AccessTokenMint mint = new AccessTokenMint(runtime.currentKeys(), issuer, policy.accessTokenLifetime(), type,
                runtime.clock(), runtime.random());
        ExchangeApiKey exchange = new ExchangeApiKey(apiKeys.verify(), audiences, mint, runtime.auditLog(),
                runtime.ids(), runtime.clock());
        ClientComponents clients = ClientComponents.of(runtime);
        ClientAuthentication authentication = new ClientAuthentication(clients.repository(), clients.hasher(),
                new ClientAssertions(runtime.clock(), runtime.config().clientAssertionMaxLifetime()),
                new DynamoDbAssertionReplayStore(runtime.dynamoDb(), table, runtime.clock()), issuer,
                runtime.auditLog(), runtime.ids(), runtime.clock());
        IssueClientToken clientTokens = new IssueClientToken(audiences,
                AllowedResources.from(resources.resources()), mint, runtime.auditLog(), runtime.ids(), runtime.clock());
        IntrospectToken introspect = new IntrospectToken(runtime.currentKeys(), issuer, sessions, crypto,
                inspectApiKey, runtime.clock());
        return TokenEndpoints.routes(new OAuthProtocol(refresh, revoke, exchange, authentication, clientTokens,
                introspect), runtime.rateLimiter());
    }
}
