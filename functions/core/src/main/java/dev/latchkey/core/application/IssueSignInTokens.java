package dev.latchkey.core.application;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.keys.AccessTokenMint;
import dev.latchkey.core.keys.IdTokenMint;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.RefreshFamilies;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.IdTokenIssuer;
import dev.latchkey.core.token.SigningAlgorithm;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues the tokens of a redeemed authorization code (OpenID Connect Core §3.1.3.3):
 * <ul>
 *   <li>an <b>access token</b> for the userinfo endpoint: {@code aud} = {@link #userinfoAudience} (never the
 *       issuer alone, so it is never a management token), {@code sub} the user, {@code client_id} the application,
 *       {@code scope} the granted scopes, {@code sid} the Latchkey session the user signed in with (so logout ends
 *       it, {@link dev.latchkey.core.session.LiveAccessTokens}), {@code amr}, {@code auth_time};</li>
 *   <li>an <b>ID token</b> (§2, §3.1.3.6): {@code iss sub aud azp exp iat auth_time nonce acr amr sid at_hash}, and
 *       {@link UserClaims} by scope, signed RS256 or ES256 as the application registered.</li>
 * </ul>
 * The granted scopes are the code's, narrowed to what the application may still request. With {@code offline_access}
 * among them (OpenID Connect Core §11: the application allows it, the user consented to it or the application is
 * first party) also a <b>refresh token</b> ({@code lka_…}): a new refresh family ({@link RefreshFamilies}) bound to
 * the application and to the sign-in session; refreshed by {@link RefreshSignInTokens}. Without it, no refresh token
 * and {@code scope} leaves it out (RFC 6749 §3.3). Audited {@code application.token_issued}. {@link #revoke} takes
 * back a first redemption's access token and refresh family when the code is replayed (RFC 6749 §4.1.2, RFC 9700
 * §4.5.3).
 */
public final class IssueSignInTokens {

    /** The audit action of a successful code redemption. */
    public static final String ISSUED = "application.token_issued";

    /** The {@code acr} of a multi-factor authentication. */
    public static final String ACR_MFA = "urn:latchkey:acr:mfa";
    /** The {@code acr} of a single-factor authentication. */
    public static final String ACR_SINGLE = "urn:latchkey:acr:1fa";

    private static final String ISSUED_PREFIX = "at:";
    private static final String FAMILY_SEPARATOR = "|";

    private final UserRepository users;
    private final SessionRepository sessions;
    private final AccessTokenMint accessTokens;
    private final IdTokenMint idTokens;
    private final AuditLog audit;
    private final IdGenerator ids;
    private final Clock clock;
    private final Optional<RefreshFamilies> families;

    /**
     * Without refresh tokens: {@code offline_access} is never granted.
     *
     * @see #IssueSignInTokens(UserRepository, SessionRepository, AccessTokenMint, IdTokenMint, RefreshFamilies,
     *     AuditLog, IdGenerator, Clock)
     */
    public IssueSignInTokens(UserRepository users, SessionRepository sessions, AccessTokenMint accessTokens,
            IdTokenMint idTokens, AuditLog audit, IdGenerator ids, Clock clock) {
        this(users, sessions, accessTokens, idTokens, Optional.empty(), audit, ids, clock);
    }

    /**
     * @param users the users (claims, disabled accounts)
     * @param sessions the deny-list, for {@link #revoke}
     * @param accessTokens signs access tokens (issuer, lifetime)
     * @param idTokens signs ID tokens
     * @param families starts applications' refresh families ({@code offline_access})
     * @param audit where issuance is recorded
     * @param ids event ids
     * @param clock the current time
     */
    public IssueSignInTokens(UserRepository users, SessionRepository sessions, AccessTokenMint accessTokens,
            IdTokenMint idTokens, RefreshFamilies families, AuditLog audit, IdGenerator ids, Clock clock) {
        this(users, sessions, accessTokens, idTokens, Optional.of(families), audit, ids, clock);
    }

    /**
     * @param users the users (claims, disabled accounts)
     * @param sessions the deny-list, for {@link #revoke}
     * @param accessTokens signs access tokens (issuer, lifetime)
     * @param idTokens signs ID tokens
     * @param audit where issuance is recorded
     * @param ids event ids
     * @param clock the current time
     */
    private IssueSignInTokens(UserRepository users, SessionRepository sessions, AccessTokenMint accessTokens,
            IdTokenMint idTokens, Optional<RefreshFamilies> families, AuditLog audit, IdGenerator ids, Clock clock) {
        this.families = families;
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.accessTokens = Objects.requireNonNull(accessTokens, "accessTokens");
        this.idTokens = Objects.requireNonNull(idTokens, "idTokens");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The access tokens' audience: the userinfo endpoint, {@code <issuer>/oauth/userinfo}. */
    public static String userinfoAudience(String issuer) {
        return issuer + "/oauth/userinfo";
    }

    /**
     * The {@code acr} of an authentication (OpenID Connect Core §2): {@code urn:latchkey:acr:mfa} when it was
     * multi-factor ({@code amr} has {@code mfa}: password and TOTP, or a user-verifying passkey), else
     * {@code urn:latchkey:acr:1fa}.
     */
    public static String acr(List<String> amr) {
        return amr.contains("mfa") ? ACR_MFA : ACR_SINGLE;
    }

    /**
     * The tokens of a code redeemed by {@code application}.
     *
     * @return empty when the user is gone or disabled, or, with {@code offline_access}, the sign-in session has
     *     ended (the endpoint's {@code invalid_grant})
     */
    public Optional<Issued> issue(Application application, AuthorizationCode code, RequestOrigin origin) {
        Optional<User> found = users.findById(code.userId()).filter(user -> !user.disabled());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        User user = found.get();
        List<String> scope = code.scope().stream()
                .filter(application.scopes()::contains)
                .filter(s -> families.isPresent() || !s.equals(Application.OFFLINE_ACCESS))
                .toList();
        Optional<RefreshFamilies.Started> family = Optional.empty();
        if (scope.contains(Application.OFFLINE_ACCESS)) {
            family = families.orElseThrow().startForApplication(code.sessionId(), application.clientId(), scope,
                    code.amr(), code.authTime());
            if (family.isEmpty()) {
                return Optional.empty();
            }
        }
        Optional<String> refreshToken = family.map(f -> f.token().value());
        Minted minted = mint(application, user, scope, code.sessionId(), code.amr(), code.authTime(), code.nonce());
        AuditEvent.Builder event = AuditEvent.builder(ids, clock)
                .organizationId(application.organizationId())
                .actor(Actor.client(application.clientId()))
                .action(ISSUED)
                .target("user", user.id())
                .requestId(origin.requestId())
                .details(Map.of("grant_type", "authorization_code", "scope", String.join(" ", scope)));
        origin.sourceIp().ifPresent(event::sourceIp);
        audit.record(event.build());
        return Optional.of(new Issued(new SignInTokens(minted.accessToken(), accessTokens.lifetime().toSeconds(),
                minted.idToken(), scope, refreshToken), ISSUED_PREFIX + minted.claims().jwtId() + ":"
                + minted.claims().expiresAt().getEpochSecond()
                + family.map(f -> FAMILY_SEPARATOR + f.familyId()).orElse("")));
    }

    /**
     * The access and ID token of one sign-in (a code's, or a refresh's, OpenID Connect Core §12.2: same {@code iss
     * sub aud azp}, the original {@code auth_time}, {@code amr}, {@code sid}; a refresh has no {@code nonce}).
     */
    Minted mint(Application application, User user, List<String> scope, String sessionId, List<String> amr,
            Instant authTime, Optional<String> nonce) {
        String issuer = accessTokens.issuer();
        AccessTokenIssuer signer = accessTokens.signer();
        AccessTokenClaims claims = signer.newClaims(accessTokens.lifetime())
                .issuer(issuer)
                .subject(user.id())
                .audience(userinfoAudience(issuer))
                .scope(scope)
                .clientId(application.clientId())
                .sessionId(sessionId)
                .amr(amr)
                .authTime(authTime)
                .build();
        String accessToken = signer.issue(claims);
        SigningAlgorithm algorithm = application.idTokenSignedResponseAlg() == IdTokenAlgorithm.ES256
                ? SigningAlgorithm.ES256 : SigningAlgorithm.RS256;
        Instant now = clock.instant();
        String idToken = idTokens.signer(algorithm).issue(new IdTokenIssuer.Claims(issuer, user.id(),
                application.clientId(), now, now.plus(accessTokens.lifetime()), authTime, nonce,
                Optional.of(acr(amr)), amr, sessionId, Optional.of(accessToken), UserClaims.of(user, scope)));
        return new Minted(accessToken, idToken, claims);
    }

    /** The tokens' lifetime in seconds ({@code expires_in}). */
    long lifetimeSeconds() {
        return accessTokens.lifetime().toSeconds();
    }

    /** A signed access token, its claims and the ID token. */
    record Minted(String accessToken, String idToken, AccessTokenClaims claims) {
    }

    /**
     * Takes back what a first redemption issued, given {@link Issued#grant()}: its access token's {@code jti} goes
     * on the deny-list until the token's expiry, and its refresh family, if any, is revoked (RFC 6749 §4.1.2).
     */
    public void revoke(String issuedGrant) {
        if (!issuedGrant.startsWith(ISSUED_PREFIX)) {
            return;
        }
        String rest = issuedGrant.substring(ISSUED_PREFIX.length());
        int bar = rest.indexOf(FAMILY_SEPARATOR);
        if (bar > 0) {
            sessions.revoke(rest.substring(bar + 1), clock.instant(), SessionEndReason.TOKEN_REVOKED);
            rest = rest.substring(0, bar);
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) {
            return;
        }
        Instant until = Instant.ofEpochSecond(Long.parseLong(rest.substring(colon + 1)));
        sessions.denyAccessToken(rest.substring(0, colon), clock.instant(), until);
    }

    /**
     * Tokens and the record of them for a replay's revocation.
     *
     * @param tokens the tokens
     * @param grant what {@link #revoke} takes back (stored with the code, {@code AuthorizationCodes.recordIssued})
     */
    public record Issued(SignInTokens tokens, String grant) {
    }
}
