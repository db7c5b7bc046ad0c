package dev.latchkey.functions.passkey;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.RequestException;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.login.BearerAuthentication;
import dev.latchkey.core.passkey.FinishPasskeyLogin;
import dev.latchkey.core.passkey.FinishPasskeyRegistration;
import dev.latchkey.core.passkey.ManagePasskeys;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.passkey.PasskeyNickname;
import dev.latchkey.core.passkey.PasskeyOptions;
import dev.latchkey.core.passkey.StartPasskeyLogin;
import dev.latchkey.core.passkey.StartPasskeyRegistration;
import dev.latchkey.core.principal.AuthenticatedUser;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.session.TokenResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The passkey routes (API.md "passkey"), each parse → (bearer authentication first) → one use case → response:
 * <ul>
 *   <li>{@code POST /v1/auth/passkeys/register/options} (Bearer) {@code {nickname?}} → 200
 *       {@code {challenge_id, public_key}}, {@code public_key} a {@code PublicKeyCredentialCreationOptionsJSON}
 *       with {@code excludeCredentials};</li>
 *   <li>{@code POST /v1/auth/passkeys/register/verify} (Bearer) {@code {challenge_id, credential, nickname?}}
 *       → 201 the passkey; 400 when the response does not verify, 409 when the credential is registered;</li>
 *   <li>{@code POST /v1/auth/passkeys/login/options} {@code {email?}} → 200 {@code {challenge_id, public_key}},
 *       {@code public_key} a {@code PublicKeyCredentialRequestOptionsJSON} (no {@code allowCredentials} entry
 *       without an email: usernameless);</li>
 *   <li>{@code POST /v1/auth/passkeys/login/verify} {@code {challenge_id, credential}} → 200 the token response
 *       of password login ({@code amr} holds {@code hwk}); 401 {@code AUTHENTICATION_FAILED} for any failure;</li>
 *   <li>{@code GET /v1/users/me/passkeys} (Bearer) → {@code {passkeys:[…]}};
 *       {@code PATCH /v1/users/me/passkeys/{passkeyId}} (Bearer) {@code {nickname?, suspected_clone?}} → 200 the
 *       passkey ({@code suspected_clone: false} confirms a passkey suspected of being cloned; needs recent
 *       authentication);
 *       {@code DELETE /v1/users/me/passkeys/{passkeyId}} (Bearer) → 204; another user's passkey is 404.</li>
 * </ul>
 * {@code credential} is the browser's {@code PublicKeyCredential.toJSON()}: a JSON object, handed to the use case
 * as its JSON text. Bearer routes authenticate before they read the body, and answer 401 with
 * {@code WWW-Authenticate: Bearer} for a missing or invalid token. Bodies are read strictly
 * ({@link Json#readBody}). A passkey's view holds no public key, user handle or counter.
 */
final class PasskeyEndpoints {

    static final String REGISTER_OPTIONS = "POST /v1/auth/passkeys/register/options";
    static final String REGISTER_VERIFY = "POST /v1/auth/passkeys/register/verify";
    static final String LOGIN_OPTIONS = "POST /v1/auth/passkeys/login/options";
    static final String LOGIN_VERIFY = "POST /v1/auth/passkeys/login/verify";
    static final String LIST = "GET /v1/users/me/passkeys";
    static final String RENAME = "PATCH /v1/users/me/passkeys/{passkeyId}";
    static final String DELETE = "DELETE /v1/users/me/passkeys/{passkeyId}";

    /** Every route, for the catalog. */
    static final List<String> ROUTES = List.of(REGISTER_OPTIONS, REGISTER_VERIFY, LOGIN_OPTIONS, LOGIN_VERIFY, LIST,
            RENAME, DELETE);


    private PasskeyEndpoints() {
    }

    /**
     * The use cases the routes call.
     *
     * @param bearer the caller of the signed-in routes
     * @param startRegistration registration options
     * @param finishRegistration registration verification
     * @param startLogin login options
     * @param finishLogin login verification
     * @param manage list, rename, delete
     */
    record UseCases(BearerAuthentication bearer, StartPasskeyRegistration startRegistration,
            FinishPasskeyRegistration finishRegistration, StartPasskeyLogin startLogin, FinishPasskeyLogin finishLogin,
            ManagePasskeys manage) {
    }

    /** {@code {nickname?}}. */
    record RegisterOptionsBody(String nickname) {
    }

    /** {@code {challenge_id, credential, nickname?}}. */
    record RegisterVerifyBody(String challengeId, JsonNode credential, String nickname) {
    }

    /** {@code {email?}}; printed without it. */
    record LoginOptionsBody(String email) {
        @Override
        public String toString() {
            return "LoginOptionsBody[<redacted>]";
        }
    }

    /** {@code {challenge_id, credential}}. */
    record LoginVerifyBody(String challengeId, JsonNode credential) {
    }

    /** {@code {nickname?, suspected_clone?}}: a new name, and/or {@code suspected_clone: false} to confirm. */
    record RenameBody(String nickname, Boolean suspectedClone) {
    }

    static Router routes(UseCases useCases) {
        return Router.builder()
                .route(REGISTER_OPTIONS, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    RegisterOptionsBody body = Json.readBody(request, RegisterOptionsBody.class);
                    // Checked here so a bad nickname fails before the ceremony, not after the authenticator ran;
                    // it is stored from the verify call's nickname.
                    PasskeyNickname.of(Optional.ofNullable(body.nickname()));
                    return options(useCases.startRegistration().start(caller, RequestOrigin.of(request)));
                })
                .route(REGISTER_VERIFY, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    RegisterVerifyBody body = Json.readBody(request, RegisterVerifyBody.class);
                    Passkey passkey = useCases.finishRegistration().finish(caller, required(body.challengeId()),
                            credential(body.credential()), Optional.ofNullable(body.nickname()),
                            RequestOrigin.of(request));
                    return HttpResponse.json(201, Json.write(view(passkey)));
                })
                .route(LOGIN_OPTIONS, request -> {
                    LoginOptionsBody body = Json.readBody(request, LoginOptionsBody.class);
                    return options(useCases.startLogin().start(Optional.ofNullable(body.email()),
                            RequestOrigin.of(request)));
                })
                .route(LOGIN_VERIFY, request -> {
                    LoginVerifyBody body = Json.readBody(request, LoginVerifyBody.class);
                    TokenResponse tokens = useCases.finishLogin().finish(required(body.challengeId()),
                            credential(body.credential()), RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(tokens));
                })
                .route(LIST, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    List<Map<String, Object>> passkeys = useCases.manage().list(caller.userId()).stream()
                            .map(PasskeyEndpoints::view).toList();
                    return HttpResponse.json(200, Json.write(Map.of("passkeys", passkeys)));
                })
                .route(RENAME, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    RenameBody body = Json.readBody(request, RenameBody.class);
                    String passkeyId = request.pathParameter("passkeyId");
                    if (body.suspectedClone() != null) {
                        if (body.suspectedClone()) {
                            throw RequestException.invalid("Field 'suspected_clone' can only be set to false "
                                    + "(confirming the passkey).", Map.of("field", "suspected_clone",
                                            "reason", "INVALID_VALUE"));
                        }
                        Passkey confirmed = useCases.manage().confirmNotCloned(caller, passkeyId,
                                RequestOrigin.of(request));
                        if (body.nickname() == null) {
                            return HttpResponse.json(200, Json.write(view(confirmed)));
                        }
                    }
                    Passkey renamed = useCases.manage().rename(caller.userId(), passkeyId, body.nickname(),
                            RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(view(renamed)));
                })
                .route(DELETE, request -> {
                    AuthenticatedUser caller = caller(useCases, request);
                    useCases.manage().delete(caller.userId(), request.pathParameter("passkeyId"),
                            RequestOrigin.of(request));
                    return HttpResponse.noContent();
                })
                .build();
    }

    private static AuthenticatedUser caller(UseCases useCases, HttpRequest request) {
        return useCases.bearer().authenticate(request.bearerToken());
    }

    private static String required(String challengeId) {
        if (challengeId == null) {
            throw AccountException.required("challenge_id");
        }
        return challengeId;
    }

    /** The credential object's JSON text; 400 naming the field when it is missing or not an object. */
    private static String credential(JsonNode credential) {
        if (credential == null || credential.isNull()) {
            throw AccountException.required("credential");
        }
        if (!credential.isObject()) {
            throw RequestException.invalid("Field 'credential' must be the credential's JSON object "
                    + "(PublicKeyCredential.toJSON()).", Map.of("field", "credential", "reason", "INVALID_TYPE"));
        }
        return credential.toString();
    }

    /** {@code {challenge_id, public_key}}; the options keep the WebAuthn spec's camelCase names. */
    private static HttpResponse options(PasskeyOptions options) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("challenge_id", options.challengeId());
        view.put("public_key", options.publicKey());
        return HttpResponse.json(200, Json.write(view));
    }

    /** What the API shows of a passkey: no public key, user handle or counter. */
    static Map<String, Object> view(Passkey passkey) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", passkey.id());
        view.put("nickname", passkey.nickname());
        view.put("created_at", passkey.createdAt().toString());
        view.put("last_used_at", passkey.lastUsedAt().map(Instant::toString).orElse(null));
        view.put("transports", passkey.transports());
        view.put("aaguid", passkey.aaguid());
        view.put("backup_eligible", passkey.backupEligible());
        view.put("backed_up", passkey.backedUp());
        view.put("suspected_clone", passkey.suspectedClone());
        view.put("suspected_clone_at", passkey.suspectedCloneAt().map(Instant::toString).orElse(null));
        return view;
    }
}
