package dev.latchkey.functions.login;

import dev.latchkey.core.account.Membership;
import dev.latchkey.core.account.UserView;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.RequestException;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.login.ChangePassword;
import dev.latchkey.core.login.CurrentUser;
import dev.latchkey.core.login.ForgotPassword;
import dev.latchkey.core.login.LoginResult;
import dev.latchkey.core.login.PasswordLogin;
import dev.latchkey.core.login.ResetPassword;
import dev.latchkey.core.login.ShowCurrentUser;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.EndSession;
import dev.latchkey.core.session.EndSessionById;
import dev.latchkey.core.session.ListSessions;
import dev.latchkey.core.session.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The login routes (API.md "login"), each parse → (bearer authentication) → one use case → response:
 * <ul>
 *   <li>{@code POST /v1/auth/login/password} {@code {email, password}} → 200 token response (or, for a user with a
 *       second factor, 200 {@code {mfa_required, mfa_token, methods, expires_in}}: docs/mfa.md); 401
 *       {@code AUTHENTICATION_FAILED} alike for unknown email, wrong password and locked account;</li>
 *   <li>{@code POST /v1/auth/logout} {@code {refresh_token}} → 204, also for an unknown token;</li>
 *   <li>{@code GET /v1/users/me} (Bearer) → {@code {user, memberships}};</li>
 *   <li>{@code POST /v1/users/me/password} (Bearer) {@code {current_password, new_password}} → 204;</li>
 *   <li>{@code POST /v1/auth/password/forgot} {@code {email}} → 202 with one fixed body;</li>
 *   <li>{@code POST /v1/auth/password/reset} {@code {token, password}} → 204; with
 *       {@code remove_passkeys_added_since} (RFC 3339) → 200 {@code {passkeys_removed, sessions_ended}};</li>
 *   <li>{@code GET /v1/users/me/sessions} (Bearer) → {@code {sessions:[…]}};
 *       {@code DELETE /v1/users/me/sessions/{sessionId}} (Bearer) → 204, another user's → 404.</li>
 * </ul>
 * Bearer routes answer 401 with {@code WWW-Authenticate: Bearer} (RFC 6750 §3) for a missing or
 * invalid token. Bodies are read strictly ({@link Json#readBody}).
 */
final class LoginEndpoints {

    static final String LOGIN = "POST /v1/auth/login/password";
    static final String LOGOUT = "POST /v1/auth/logout";
    static final String ME = "GET /v1/users/me";
    static final String CHANGE_PASSWORD = "POST /v1/users/me/password";
    static final String FORGOT = "POST /v1/auth/password/forgot";
    static final String RESET = "POST /v1/auth/password/reset";
    static final String SESSIONS = "GET /v1/users/me/sessions";
    static final String END_SESSION = "DELETE /v1/users/me/sessions/{sessionId}";

    /** Every route, for the catalog. */
    static final List<String> ROUTES = List.of(LOGIN, LOGOUT, ME, CHANGE_PASSWORD, FORGOT, RESET, SESSIONS,
            END_SESSION);

    /** The one answer of forgot. */
    static final Map<String, String> FORGOT_ACCEPTED = Map.of("message",
            "If this address belongs to an account, a password reset email is on its way.");


    private LoginEndpoints() {
    }

    /** The use cases the routes call. */
    record UseCases(PasswordLogin login, EndSession logout, BearerAuthentication bearer, ShowCurrentUser me,
            ChangePassword changePassword, ForgotPassword forgot, ResetPassword reset, ListSessions sessions,
            EndSessionById endSession) {
    }

    /** {@code {email, password}}; printed without either. */
    record LoginBody(String email, String password) {
        @Override
        public String toString() {
            return "LoginBody[<redacted>]";
        }
    }

    /** {@code {refresh_token}}; printed without it. */
    record LogoutBody(String refreshToken) {
        @Override
        public String toString() {
            return "LogoutBody[<redacted>]";
        }
    }

    /** {@code {current_password, new_password}}; printed without either. */
    record ChangePasswordBody(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "ChangePasswordBody[<redacted>]";
        }
    }

    /** {@code {email}}; printed without it. */
    record ForgotBody(String email) {
        @Override
        public String toString() {
            return "ForgotBody[<redacted>]";
        }
    }

    /** {@code {token, password, remove_passkeys_added_since?}}; printed without any. */
    record ResetBody(String token, String password, String removePasskeysAddedSince) {
        @Override
        public String toString() {
            return "ResetBody[<redacted>]";
        }
    }

    /** A reset's answer when passkeys were to be removed: how many were, and how many sessions ended. */
    record ResetView(int passkeysRemoved, int sessionsEnded) {
    }

    static Router routes(UseCases useCases) {
        return register(Router.builder(), useCases).build();
    }

    /** Adds the login routes to {@code routes} (the MFA routes join them in {@link LoginApplication}). */
    static Router.Builder register(Router.Builder routes, UseCases useCases) {
        return routes
                .route(LOGIN, request -> {
                    LoginBody body = Json.readBody(request, LoginBody.class);
                    LoginResult result = useCases.login().login(body.email(), body.password(),
                            RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(result instanceof LoginResult.MfaRequired mfa
                            ? MfaEndpoints.MfaRequiredView.of(mfa) : result.tokens()));
                })
                .route(LOGOUT, request -> {
                    LogoutBody body = Json.readBody(request, LogoutBody.class);
                    if (body.refreshToken() == null) {
                        throw RequestException.invalid("Field 'refresh_token' is required.",
                                Map.of("field", "refresh_token", "reason", "REQUIRED"));
                    }
                    useCases.logout().end(body.refreshToken(), request.sourceIp(), request.requestId());
                    return HttpResponse.noContent();
                })
                .route(ME, request -> {
                    CurrentUser me = useCases.me().show(caller(useCases, request));
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("user", UserView.of(me.user()));
                    response.put("memberships", me.memberships().stream().map(LoginEndpoints::membership).toList());
                    return HttpResponse.json(200, Json.write(response));
                })
                .route(CHANGE_PASSWORD, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    ChangePasswordBody body = Json.readBody(request, ChangePasswordBody.class);
                    useCases.changePassword().change(caller, body.currentPassword(), body.newPassword(),
                            RequestOrigin.of(request));
                    return HttpResponse.noContent();
                })
                .route(FORGOT, request -> {
                    ForgotBody body = Json.readBody(request, ForgotBody.class);
                    useCases.forgot().forgot(body.email(), RequestOrigin.of(request));
                    return HttpResponse.json(202, Json.write(FORGOT_ACCEPTED));
                })
                .route(RESET, request -> {
                    ResetBody body = Json.readBody(request, ResetBody.class);
                    ResetPassword.Result result = useCases.reset().reset(body.token(), body.password(),
                            body.removePasskeysAddedSince(), RequestOrigin.of(request));
                    if (result.passkeysRemoved().isEmpty()) {
                        return HttpResponse.noContent();
                    }
                    return HttpResponse.json(200, Json.write(new ResetView(result.passkeysRemoved().get(),
                            result.sessionsEnded())));
                })
                .route(SESSIONS, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    List<Map<String, Object>> sessions = useCases.sessions().list(caller.userId()).stream()
                            .map(s -> session(s, caller)).toList();
                    return HttpResponse.json(200, Json.write(Map.of("sessions", sessions)));
                })
                .route(END_SESSION, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    useCases.endSession().end(caller.userId(), request.pathParameter("sessionId"),
                            request.sourceIp(), request.requestId());
                    return HttpResponse.noContent();
                });
    }

    private static AuthenticatedUser caller(UseCases useCases, HttpRequest request) {
        return useCases.bearer().authenticate(request.bearerToken());
    }


    private static Map<String, Object> membership(Membership membership) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("organization_id", membership.organizationId());
        view.put("name", membership.name());
        view.put("role", membership.role());
        return view;
    }

    private static Map<String, Object> session(Session session, AuthenticatedUser caller) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", session.sessionId());
        view.put("created_at", session.createdAt().toString());
        view.put("last_used_at", session.lastUsedAt().toString());
        view.put("amr", session.amr());
        view.put("current", session.sessionId().equals(caller.sessionId()));
        return view;
    }
}
