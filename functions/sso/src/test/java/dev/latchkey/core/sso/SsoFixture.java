package dev.latchkey.core.sso;

import dev.latchkey.core.authorize.InMemoryAuthorizationCodes;
import dev.latchkey.core.authorize.IssueAuthorizationCode;
import dev.latchkey.core.authorize.RedirectUris;
import dev.latchkey.core.session.SessionFixture;
import dev.latchkey.core.session.TokenResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosted pages' use cases over in-memory fakes: one first-party application ({@code app_first}), one third-party
 * one ({@code app_third}), the session stack of {@link SessionFixture}.
 */
public final class SsoFixture {

    /** RFC 7636 Appendix B challenge. */
    public static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    /** The first-party application's redirect URI. */
    public static final String REDIRECT = "https://rp.example/cb";

    public final SessionFixture sessions = new SessionFixture();
    public final InMemorySsoSessions browser = new InMemorySsoSessions();
    public final InMemoryConsents consents = new InMemoryConsents();
    public final InMemoryAuthorizationCodes codes = new InMemoryAuthorizationCodes();
    public final Map<String, RelyingParty> clients = new LinkedHashMap<>();
    public final RelyingParties parties = id -> Optional.ofNullable(clients.get(id));
    public final ValidateAuthorizationRequest validate = new ValidateAuthorizationRequest(parties,
            SessionFixture.ISSUER);
    public final Authorize authorize = new Authorize(new IssueAuthorizationCode(codes, Duration.ofSeconds(60),
            sessions.clock, sessions.random), consents, SessionFixture.ISSUER, sessions.clock, sessions.audit,
            sessions.ids);
    public final BrowserSessions browserSessions = new BrowserSessions(sessions.bearer(), sessions.sessions, browser,
            sessions.endSessionById, sessions.clock, sessions.random, sessions.audit, sessions.ids);

    public SsoFixture() {
        clients.put("app_first", new RelyingParty("app_first", "First App", new RedirectUris(List.of(REDIRECT,
                "http://127.0.0.1/cb")), List.of("https://rp.example/bye"), true, Set.of("openid", "email",
                "profile", "offline_access")));
        clients.put("app_third", new RelyingParty("app_third", "Third App",
                new RedirectUris(List.of("https://third.example/cb")), List.of(), false,
                Set.of("openid", "email", "profile")));
    }

    /** A valid request's parameters for {@code app_first}; {@code extra} pairs override or add. */
    public static Map<String, List<String>> request(String... extra) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("response_type", List.of("code"));
        parameters.put("client_id", List.of("app_first"));
        parameters.put("redirect_uri", List.of(REDIRECT));
        parameters.put("scope", List.of("openid email"));
        parameters.put("state", List.of("st-1"));
        parameters.put("nonce", List.of("n-1"));
        parameters.put("code_challenge", List.of(CHALLENGE));
        parameters.put("code_challenge_method", List.of("S256"));
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                parameters.remove(extra[i]);
            } else {
                parameters.put(extra[i], List.of(extra[i + 1]));
            }
        }
        return parameters;
    }

    /** The accepted request. */
    public AuthorizationRequest valid(String... extra) {
        return ((ValidateAuthorizationRequest.Valid) validate.validate(request(extra))).request();
    }

    /** Signs {@link SessionFixture#user} in (a password login) and starts a browser session: its cookie value. */
    public String signIn() {
        TokenResponse tokens = sessions.login();
        return browserSessions.start(Optional.of(tokens.accessToken()), Optional.empty(), "203.0.113.10", "req")
                .cookieValue();
    }

    /** The user behind a cookie. */
    public Optional<SignedInUser> user(String cookie) {
        return browserSessions.resolve(Optional.of(cookie));
    }
}
