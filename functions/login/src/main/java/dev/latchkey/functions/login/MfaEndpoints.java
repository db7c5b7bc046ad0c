package dev.latchkey.functions.login;

import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.login.LoginResult;
import dev.latchkey.core.mfa.ManageMfa;
import dev.latchkey.core.mfa.MfaLogin;
import dev.latchkey.core.mfa.TotpEnrolment;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.TokenResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The second-factor routes (docs/mfa.md), each parse → (bearer authentication) → one use case → response:
 * <ul>
 *   <li>{@code POST /v1/auth/login/mfa} {@code {mfa_token, code | recovery_code}} → 200 token response;</li>
 *   <li>{@code GET /v1/users/me/mfa} (Bearer) → {@code {enabled, methods, totp_created_at, totp_last_used_at,
 *       recovery_codes_left}};</li>
 *   <li>{@code DELETE /v1/users/me/mfa} (Bearer, step-up) → 204;</li>
 *   <li>{@code POST /v1/users/me/mfa/totp} (Bearer) {@code {}} or, to replace an active authenticator,
 *       {@code {code | recovery_code}} → 201 {@code {otpauth_uri, secret, qr_svg, expires_at}}, once;</li>
 *   <li>{@code POST /v1/users/me/mfa/totp/confirm} (Bearer) {@code {code}} → 200 {@code {recovery_codes}}, once;</li>
 *   <li>{@code POST /v1/users/me/mfa/recovery-codes} (Bearer, step-up) → 200 {@code {recovery_codes}}, once.</li>
 * </ul>
 * Responses that carry a secret or recovery codes are {@code no-store} like every response (the pipeline's
 * default {@code cache-control}).
 */
final class MfaEndpoints {

    static final String LOGIN_MFA = "POST /v1/auth/login/mfa";
    static final String STATUS = "GET /v1/users/me/mfa";
    static final String DISABLE = "DELETE /v1/users/me/mfa";
    static final String ENROL = "POST /v1/users/me/mfa/totp";
    static final String CONFIRM = "POST /v1/users/me/mfa/totp/confirm";
    static final String RECOVERY_CODES = "POST /v1/users/me/mfa/recovery-codes";

    /** Every route, for the catalog. */
    static final List<String> ROUTES = List.of(LOGIN_MFA, STATUS, DISABLE, ENROL, CONFIRM, RECOVERY_CODES);

    private MfaEndpoints() {
    }

    /** The use cases the routes call. */
    record UseCases(MfaLogin login, TotpEnrolment enrolment, ManageMfa manage, BearerAuthentication bearer) {
    }

    /** {@code {mfa_token, code, recovery_code}}; printed without any. */
    record MfaLoginBody(String mfaToken, String code, String recoveryCode) {
        @Override
        public String toString() {
            return "MfaLoginBody[<redacted>]";
        }
    }

    /** {@code {code, recovery_code}} (both optional); printed without either. */
    record CodeBody(String code, String recoveryCode) {
        @Override
        public String toString() {
            return "CodeBody[<redacted>]";
        }
    }

    /** The password step's answer for a user with a second factor. */
    record MfaRequiredView(boolean mfaRequired, String mfaToken, List<String> methods, long expiresIn) {

        static MfaRequiredView of(LoginResult.MfaRequired result) {
            return new MfaRequiredView(true, result.mfaToken(), result.methods(), result.expiresIn());
        }

        @Override
        public String toString() {
            return "MfaRequiredView[<redacted>]";
        }
    }

    /** {@code POST /v1/users/me/mfa/totp}'s answer. */
    record EnrolmentView(String otpauthUri, String secret, String qrSvg, String expiresAt) {
        @Override
        public String toString() {
            return "EnrolmentView[<redacted>]";
        }
    }

    /** Recovery codes, shown once. */
    record RecoveryCodesView(List<String> recoveryCodes) {
        @Override
        public String toString() {
            return "RecoveryCodesView[<redacted>]";
        }
    }

    /** {@code GET /v1/users/me/mfa}. */
    record StatusView(boolean enabled, List<String> methods, String totpCreatedAt, String totpLastUsedAt,
            int recoveryCodesLeft) {

        static StatusView of(ManageMfa.Status status) {
            return new StatusView(status.enabled(), status.methods(), text(status.totpCreatedAt()),
                    text(status.totpLastUsedAt()), status.recoveryCodesLeft());
        }

        private static String text(Optional<Instant> instant) {
            return instant.map(Instant::toString).orElse(null);
        }
    }

    /** Adds the MFA routes to {@code routes}. */
    static Router.Builder register(Router.Builder routes, UseCases useCases) {
        return routes
                .route(LOGIN_MFA, request -> {
                    MfaLoginBody body = Json.readBody(request, MfaLoginBody.class);
                    TokenResponse tokens = useCases.login().finish(body.mfaToken(), body.code(), body.recoveryCode(),
                            RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(tokens));
                })
                .route(STATUS, request -> {
                    ManageMfa.Status status = useCases.manage().status(caller(useCases, request));
                    return HttpResponse.json(200, Json.write(StatusView.of(status)));
                })
                .route(DISABLE, request -> {
                    useCases.manage().disable(caller(useCases, request), RequestOrigin.of(request));
                    return HttpResponse.noContent();
                })
                .route(ENROL, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    CodeBody body = optionalBody(request);
                    TotpEnrolment.Started started = useCases.enrolment().start(caller, body.code(),
                            body.recoveryCode(), RequestOrigin.of(request));
                    return HttpResponse.json(201, Json.write(new EnrolmentView(started.otpauthUri(), started.secret(),
                            started.qrSvg(), started.expiresAt().toString())));
                })
                .route(CONFIRM, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    CodeBody body = Json.readBody(request, CodeBody.class);
                    List<String> codes = useCases.enrolment().confirm(caller, body.code(), RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(new RecoveryCodesView(codes)));
                })
                .route(RECOVERY_CODES, request -> {
                    List<String> codes = useCases.manage().regenerateRecoveryCodes(caller(useCases, request),
                            RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(new RecoveryCodesView(codes)));
                });
    }

    private static CodeBody optionalBody(HttpRequest request) {
        return request.bodyLength() == 0 ? new CodeBody(null, null) : Json.readBody(request, CodeBody.class);
    }

    private static AuthenticatedUser caller(UseCases useCases, HttpRequest request) {
        return useCases.bearer().authenticate(request.bearerToken());
    }
}
