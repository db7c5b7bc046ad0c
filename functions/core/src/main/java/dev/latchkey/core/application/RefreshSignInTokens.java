package dev.latchkey.core.application;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.resource.InvalidScopeException;
import dev.latchkey.core.session.RefreshFamilies;
import dev.latchkey.core.session.RefreshToken;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionApplication;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionException;
import dev.latchkey.core.session.SessionRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An application's refresh (RFC 6749 §6, OpenID Connect Core §12) with its {@code lka_} refresh token, on the
 * rotation and reuse detection every refresh family has ({@link RefreshFamilies}: rotation on every use, a reused
 * rotated token revokes the family, RFC 9700 §4.14.2). The application has authenticated already (its registered
 * method; a public one by {@code client_id}, OAuth 2.1 §4.3.1 with rotation). Refused with {@code invalid_grant}
 * (audited {@code session.refresh_failed} with the reason), before the token's state is looked at:
 * <ul>
 *   <li>a family of another application ({@code wrong_client}: the token is bound to its client, RFC 6749 §6);</li>
 *   <li>a family whose sign-in session ({@code sid}) has ended — logout, RP-initiated logout, revocation, expiry —
 *       or an application that no longer allows {@code offline_access}: the family is revoked then
 *       ({@code sign_in_session_ended}, {@code offline_access_withdrawn});</li>
 *   <li>a user who is gone or disabled ({@code user_disabled}).</li>
 * </ul>
 * {@code scope} may narrow the family's scopes, never widen them, and must keep {@code openid}
 * ({@link InvalidScopeException}, the token unspent). The answer: a new access token for userinfo and a new ID token
 * as {@link IssueSignInTokens} mints them (§12.2: same {@code iss sub aud azp}, the original {@code auth_time},
 * {@code amr}, {@code sid}; no {@code nonce}), and the rotated refresh token.
 */
public final class RefreshSignInTokens {

    private final RefreshFamilies families;
    private final SessionRepository sessions;
    private final UserRepository users;
    private final IssueSignInTokens tokens;

    /**
     * @param families the rotation machinery
     * @param sessions the sign-in sessions the families are bound to
     * @param users the users (claims, disabled accounts)
     * @param tokens mints the access and ID tokens
     */
    public RefreshSignInTokens(RefreshFamilies families, SessionRepository sessions, UserRepository users,
            IssueSignInTokens tokens) {
        this.families = Objects.requireNonNull(families, "families");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.users = Objects.requireNonNull(users, "users");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * Refreshes.
     *
     * @param application the authenticated application
     * @param presented the {@code refresh_token} as sent
     * @param scope the requested scopes, parsed; empty for the family's
     * @param origin the request, for the audit events
     * @throws SessionException {@code invalidGrant} for every refusal of the token
     * @throws InvalidScopeException when {@code scope} widens the family's or drops {@code openid} (nothing written)
     */
    public SignInTokens refresh(Application application, String presented, Optional<List<String>> scope,
            RequestOrigin origin) {
        RefreshToken token = RefreshToken.parse(presented).filter(RefreshToken::isApplication)
                .orElseThrow(SessionException::invalidGrant);
        String sourceIp = origin.sourceIp().orElse(null);
        return families.refresh(token, new RefreshFamilies.Kind<SignInTokens>() {
            private User user;

            @Override
            public Optional<RefreshFamilies.Refusal> refusal(Session family, Instant now) {
                Optional<SessionApplication> bound = family.application();
                if (bound.isEmpty() || !bound.get().clientId().equals(application.clientId())) {
                    return Optional.of(RefreshFamilies.Refusal.of("wrong_client"));
                }
                if (!application.allowsOfflineAccess()) {
                    return Optional.of(new RefreshFamilies.Refusal("offline_access_withdrawn",
                            Optional.of(SessionEndReason.TOKEN_REVOKED)));
                }
                boolean signedIn = sessions.find(bound.get().signInSessionId())
                        .filter(signIn -> signIn.isUsableAt(now)).isPresent();
                if (!signedIn) {
                    return Optional.of(new RefreshFamilies.Refusal("sign_in_session_ended",
                            Optional.of(SessionEndReason.SIGN_IN_SESSION_ENDED)));
                }
                Optional<User> found = users.findById(family.userId()).filter(u -> !u.disabled());
                if (found.isEmpty()) {
                    return Optional.of(RefreshFamilies.Refusal.of("user_disabled"));
                }
                user = found.get();
                return Optional.empty();
            }

            @Override
            public RefreshFamilies.Prepared<SignInTokens> prepare(Session family) {
                SessionApplication bound = family.application().orElseThrow();
                List<String> granted = narrow(bound.scope(), scope).stream()
                        .filter(application.scopes()::contains).toList();
                IssueSignInTokens.Minted minted = tokens.mint(application, user, granted, bound.signInSessionId(),
                        family.amr(), family.authTime(), Optional.empty());
                return new RefreshFamilies.Prepared<>() {
                    @Override
                    public SignInTokens respond(Session f, RefreshToken refreshToken) {
                        return new SignInTokens(minted.accessToken(), tokens.lifetimeSeconds(), minted.idToken(),
                                granted, Optional.of(refreshToken.value()));
                    }

                    @Override
                    public Map<String, String> details() {
                        Map<String, String> details = new LinkedHashMap<>();
                        details.put("client_id", application.clientId());
                        details.put("scope", String.join(" ", granted));
                        return details;
                    }
                };
            }
        }, sourceIp, origin.requestId());
    }

    /** RFC 6749 §6: the requested scopes, each granted to the family; {@code openid} kept. */
    private static List<String> narrow(List<String> granted, Optional<List<String>> requested) {
        if (requested.isEmpty()) {
            return granted;
        }
        List<String> asked = requested.get();
        if (!granted.containsAll(asked) || !asked.contains(Application.OPENID)) {
            throw new InvalidScopeException();
        }
        return granted.stream().filter(asked::contains).toList();
    }
}
