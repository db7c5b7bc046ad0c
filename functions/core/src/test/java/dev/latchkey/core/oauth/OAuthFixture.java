package dev.latchkey.core.oauth;

import dev.latchkey.core.access.InMemoryMembershipDirectory;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.apikey.ApiKeyFixture;
import dev.latchkey.core.apikey.ExchangeApiKey;
import dev.latchkey.core.apikey.InspectApiKey;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.client.AllowedResources;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientAuthentication;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.ClientSecretValue;
import dev.latchkey.core.client.InMemoryAssertionReplayStore;
import dev.latchkey.core.client.InMemoryClientRepository;
import dev.latchkey.core.client.IssueClientToken;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.introspect.IntrospectToken;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.resource.Grant;
import dev.latchkey.core.resource.GrantedScopes;
import dev.latchkey.core.resource.GranteeType;
import dev.latchkey.core.resource.InMemoryResourceRepository;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.revocation.RevokeOAuthToken;
import dev.latchkey.core.session.RefreshSession;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.team.InMemoryTeamRepository;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OAuth protocol on in-memory fakes: one organization with a resource {@value #API} (scopes read, write,
 * read_models), a service client {@value #CLIENT} granted read and write with a secret, an Ed25519 key ({@code ed-1})
 * and a P-256 key ({@code ec-1}), and the session fixture's user granted read and read_models. Every use case behind
 * the OAuth endpoints is a field, so a test can wire its own variant. No network, no HTTP.
 */
public final class OAuthFixture {

    /** The resource's audience. */
    public static final String API = "https://api.example.com";

    /** The service client. */
    public static final String CLIENT = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P1";

    public final SessionFixture f = new SessionFixture();
    public final ApiKeyFixture k = new ApiKeyFixture();
    public final InMemoryMembershipDirectory members = new InMemoryMembershipDirectory();
    public final InMemoryResourceRepository resources = new InMemoryResourceRepository(k.audit, members);
    public final GrantedScopes audiences = new GrantedScopes(resources, members,
            new InMemoryTeamRepository(k.audit, members),
            new dev.latchkey.core.access.OrganizationMfaPolicy(userId -> false));
    public final InMemoryClientRepository clients = new InMemoryClientRepository();
    public final ClientSecretHasher hasher = new ClientSecretHasher(new dev.latchkey.core.vault.InMemoryPeppers());
    public final InMemoryAuditLog clientAudit = new InMemoryAuditLog(f.clock);
    public final String secret = ClientSecretValue.generate(k.random);
    public final KeyPair ed = AssertionSigner.ed25519();
    public final KeyPair ec = AssertionSigner.p256();
    public final ExchangeApiKey exchange = new ExchangeApiKey(k.verify, audiences, new AccessTokenMint(f.keys,
            () -> SessionFixture.ISSUER, f.policy.accessTokenLifetime(), k.clock, k.random), k.audit, k.ids, k.clock);
    public final ClientAuthentication authentication = new ClientAuthentication(clients, hasher,
            new ClientAssertions(f.clock), new InMemoryAssertionReplayStore(f.clock), () -> SessionFixture.ISSUER,
            clientAudit, k.ids, f.clock);
    public final IssueClientToken clientTokens = new IssueClientToken(audiences, AllowedResources.from(resources),
            new AccessTokenMint(f.keys, () -> SessionFixture.ISSUER, f.policy.accessTokenLifetime(), f.clock,
                    k.random), clientAudit, k.ids, f.clock);
    public final IntrospectToken introspect = new IntrospectToken(f.keys, () -> SessionFixture.ISSUER, f.sessions,
            f.crypto, new InspectApiKey(k.repository, k.hasher, k.clock), f.clock);
    public final RefreshSession refresh = new RefreshSession(f.sessions, f.users, f.crypto, f.tokens, f.policy,
            audiences, f.audit, f.ids, f.clock, f.random);
    public final RevokeOAuthToken revoke = new RevokeOAuthToken(f.keys, () -> SessionFixture.ISSUER, f.sessions,
            f.revoke, new InspectApiKey(k.repository, k.hasher, k.clock), k.manage, f.audit, f.ids, f.clock);
    public final OAuthProtocol protocol = new OAuthProtocol(refresh, revoke, exchange, authentication, clientTokens,
            introspect);

    /** The organization, its resource, the grants and the client. */
    public OAuthFixture() {
        Resource api = new Resource("res_01JD3ZK8W6Q4V8S2M9N7T5R3P1", k.organizationId, API, "api",
                List.of("read", "write", "read_models"), f.clock.instant(), "usr_test");
        resources.putResource(api);
        resources.putGrant(new Grant(k.organizationId, api.resourceId(), CLIENT, GranteeType.CLIENT,
                List.of("read", "write"), f.clock.instant(), "usr_test"));
        members.put(k.organizationId, f.user.id(), Role.MEMBER);
        resources.putGrant(new Grant(k.organizationId, api.resourceId(), f.user.id(), GranteeType.USER,
                List.of("read", "read_models"), f.clock.instant(), "usr_test"));
        clients.put(new ServiceClient(CLIENT, k.organizationId, "worker", List.of(api.resourceId()),
                f.clock.instant(), "usr_test", List.of(new ClientSecret("cs_01JD3ZK8W6Q4V8S2M9N7T5R3P1",
                        hasher.hash(secret), f.clock.instant(), "usr_test", Optional.empty(), Optional.empty())),
                List.of(AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P1", "ed-1", ed, f.clock.instant()),
                        AssertionSigner.clientKey("ck_01JD3ZK8W6Q4V8S2M9N7T5R3P2", "ec-1", ec, f.clock.instant())),
                0));
    }

    /** A request with these form parameters (name, value, …) and no {@code Authorization} header. */
    public static OAuthRequest form(String... pairs) {
        return request(Optional.empty(), pairs);
    }

    /** A request with a {@code client_secret_basic} header and these form parameters. */
    public static OAuthRequest basic(String clientId, String clientSecret, String... pairs) {
        String header = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
        return request(Optional.of(header), pairs);
    }

    private static OAuthRequest request(Optional<String> authorization, String... pairs) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parameters.put(pairs[i], pairs[i + 1]);
        }
        return new OAuthRequest(OAuthForm.of(parameters), authorization, "203.0.113.10", "req-1");
    }
}
