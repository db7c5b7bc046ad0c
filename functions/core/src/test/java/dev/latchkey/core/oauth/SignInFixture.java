package dev.latchkey.core.oauth;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.InMemoryUserRepository;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.AuthenticateApplication;
import dev.latchkey.core.application.IdTokenAlgorithm;
import dev.latchkey.core.application.InMemoryApplications;
import dev.latchkey.core.application.IssueSignInTokens;
import dev.latchkey.core.application.RefreshSignInTokens;
import dev.latchkey.core.application.TestApplications;
import dev.latchkey.core.application.TokenEndpointAuthMethod;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.authorize.InMemoryAuthorizationCodes;
import dev.latchkey.core.authorize.IssueAuthorizationCode;
import dev.latchkey.core.authorize.Pkce;
import dev.latchkey.core.authorize.RedeemAuthorizationCode;
import dev.latchkey.core.client.AssertionSigner;
import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.ClientSecretValue;
import dev.latchkey.core.client.InMemoryAssertionReplayStore;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.keys.IdTokenMint;
import dev.latchkey.core.session.RefreshFamilies;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.StartSessionCommand;
import dev.latchkey.core.session.TokenResponse;
import dev.latchkey.core.session.UserProfile;
import dev.latchkey.core.vault.InMemoryPeppers;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The OpenID Provider's token side on in-memory fakes: a user signed in (a Latchkey session), a public application
 * ({@code none}, PKCE), a confidential one ({@code client_secret_basic}, with {@link #secret}), one with
 * {@code private_key_jwt} (P-256 key {@code ec-1}) and one with ES256 ID tokens; {@link #code} issues a code as the
 * authorization endpoint would. The protocol serves every standard grant plus {@code authorization_code}.
 */
public final class SignInFixture {

    /** RFC 7636 Appendix B's verifier and challenge. */
    public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /** The S256 challenge of {@link #VERIFIER}. */
    public static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    /** Every application's redirect URI. */
    public static final String REDIRECT = "https://rp.example/callback";

    public final OAuthFixture o = new OAuthFixture();
    public final SessionFixture f = o.f;
    public final InMemoryAuditLog audit = new InMemoryAuditLog(f.clock);
    public final InMemoryUserRepository users = new InMemoryUserRepository(audit);
    public final InMemoryApplications applications = new InMemoryApplications(audit);
    public final InMemoryAuthorizationCodes codes = new InMemoryAuthorizationCodes();
    public final ClientSecretHasher hasher = new ClientSecretHasher(new InMemoryPeppers());
    public final String secret = ClientSecretValue.generate(f.random);
    public final KeyPair ec = AssertionSigner.p256();
    public final AccessTokenMint mint = new AccessTokenMint(f.keys, () -> SessionFixture.ISSUER,
            f.policy.accessTokenLifetime(), f.clock, f.random);
    public final RefreshFamilies families = new RefreshFamilies(f.sessions, f.crypto, f.policy, audit, f.ids,
            f.clock, f.random);
    public final IssueSignInTokens issue = new IssueSignInTokens(users, f.sessions, mint, new IdTokenMint(f.keys),
            families, audit, f.ids, f.clock);
    public final RefreshSignInTokens refreshSignIn = new RefreshSignInTokens(families, f.sessions, users, issue);
    public final AuthenticateApplication authenticate = new AuthenticateApplication(applications, hasher,
            new ClientAssertions(f.clock), new InMemoryAssertionReplayStore(f.clock), () -> SessionFixture.ISSUER,
            audit, f.ids, f.clock);
    public final RedeemAuthorizationCode redeem = new RedeemAuthorizationCode(codes, issue::revoke, f.clock);
    public final OAuthProtocol protocol = new OAuthProtocol(new OAuthClientAuthentication(o.authentication),
            authenticate, o.revoke, o.introspect, authentication -> List.of(
                    new RefreshTokenGrant(o.refresh, authenticate, refreshSignIn),
                    new ClientCredentialsGrant(authentication, o.clientTokens),
                    new AuthorizationCodeGrant(authenticate, redeem, issue)));
    public final User user;
    public final TokenResponse login;
    public final Application publicApp;
    public final Application confidentialApp;
    public final Application jwtApp;
    public final Application es256App;

    /** The user, its session and the applications. */
    public SignInFixture() {
        String userId = f.ids.next(IdPrefix.USER);
        String orgId = f.ids.next(IdPrefix.ORGANIZATION);
        user = new User(userId, EmailAddress.parse("Grace@Example.com"), "Grace Hopper", "", true,
                f.clock.instant(), orgId);
        users.create(new NewAccount(user, new PersonalOrganization(orgId, "Grace's organization", f.clock.instant(),
                userId), AuditEvent.builder(f.ids, f.clock).organizationId(orgId).actor(Actor.user(userId))
                .action("account.registered").requestId("req-0").build()));
        login = f.start.start(new StartSessionCommand(new UserProfile(userId, "grace@example.com", "Grace Hopper"),
                orgId, List.of("pwd"), "203.0.113.10", "req-login"));
        publicApp = TestApplications.publicApp().clientId(f.ids.next(IdPrefix.APPLICATION))
                .redirectUris(REDIRECT).build();
        confidentialApp = TestApplications.confidentialApp().clientId(f.ids.next(IdPrefix.APPLICATION))
                .redirectUris(REDIRECT).firstParty(false)
                .secret(new ClientSecret("cs_1", hasher.hash(secret), f.clock.instant(), "usr_test", Optional.empty(),
                        Optional.empty())).build();
        jwtApp = TestApplications.confidentialApp().clientId(f.ids.next(IdPrefix.APPLICATION))
                .method(TokenEndpointAuthMethod.PRIVATE_KEY_JWT).redirectUris(REDIRECT)
                .key(AssertionSigner.clientKey("ck_1", "ec-1", ec, f.clock.instant())).build();
        es256App = TestApplications.publicApp().clientId(f.ids.next(IdPrefix.APPLICATION))
                .redirectUris(REDIRECT).algorithm(IdTokenAlgorithm.ES256).build();
        applications.put(publicApp).put(confidentialApp).put(jwtApp).put(es256App);
    }

    /** A code for {@code app} as the authorization endpoint issues it: scope openid email profile offline_access. */
    public String code(Application app) {
        return code(app, List.of("openid", "email", "profile", "offline_access"), List.of("pwd"));
    }

    /** A code with these scopes and {@code amr}. */
    public String code(Application app, List<String> scope, List<String> amr) {
        return new IssueAuthorizationCode(codes, Duration.ofSeconds(60), f.clock, f.random).issue(
                new IssueAuthorizationCode.Grant(app.clientId(), REDIRECT, new Pkce(CHALLENGE), user.id(),
                        login.sessionId(), scope, Optional.of("n-0S6_WzA2Mj"), f.clock.instant(), amr));
    }

    /** The token request of a public application. */
    public OAuthRequest publicRequest(Application app, String code) {
        return OAuthFixture.form("grant_type", "authorization_code", "client_id", app.clientId(), "code", code,
                "redirect_uri", REDIRECT, "code_verifier", VERIFIER);
    }
}
