package dev.latchkey.functions.register;

import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.RegisterUser;
import dev.latchkey.core.account.RegisterUserCommand;
import dev.latchkey.core.account.RegisteredAccount;
import dev.latchkey.core.account.RegistrationDisclosure;
import dev.latchkey.core.account.ResendVerification;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserView;
import dev.latchkey.core.account.VerifyEmail;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.principal.RequestOrigin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The register routes (API.md "register"), each parse → one use case → response:
 * <ul>
 *   <li>{@code POST /v1/auth/register} {@code {email, password, name}} → 201
 *       {@code {user:{id,email,name,email_verified,created_at}, organization:{id,name,role}}};
 *       400, 409 {@code CONFLICT}, 429 from {@link RegisterUser}; with {@code LATCHKEY_REGISTRATION_DISCLOSURE=silent}
 *       202 with one fixed body ({@link #REGISTER_ACCEPTED}) for a new and a taken address alike;</li>
 *   <li>{@code POST /v1/auth/email/verify} {@code {token}} → 200 {@code {user}}; 400 for any token that does
 *       not work;</li>
 *   <li>{@code POST /v1/auth/email/verify/resend} {@code {email}} → 202 with one fixed body, whatever the
 *       account's state or the rate limits decided (no enumeration).</li>
 * </ul>
 * Bodies are read strictly ({@link Json#readBody}: JSON content type, no unknown fields) and sized by the
 * pipeline before this runs.
 */
final class RegisterEndpoints {

    static final String REGISTER = "POST /v1/auth/register";
    static final String VERIFY = "POST /v1/auth/email/verify";
    static final String RESEND = "POST /v1/auth/email/verify/resend";

    /** The one answer of resend. */
    static final Map<String, String> RESEND_ACCEPTED = Map.of("message",
            "If this address belongs to an account that still needs verification, a new email is on its way.");

    /** The one answer of register without disclosure, for a new and a taken address alike. */
    static final Map<String, String> REGISTER_ACCEPTED = Map.of("message",
            "Check your inbox: we sent a message to this address with the next step.");

    private RegisterEndpoints() {
    }

    /** {@code {email, password, name}}; printed without the password. */
    record RegisterBody(String email, String password, String name) {
        @Override
        public String toString() {
            return "RegisterBody[<redacted>]";
        }
    }

    /** {@code {token}}; printed without the token. */
    record VerifyBody(String token) {
        @Override
        public String toString() {
            return "VerifyBody[<redacted>]";
        }
    }

    /** {@code {email}}; printed without the address. */
    record ResendBody(String email) {
        @Override
        public String toString() {
            return "ResendBody[<redacted>]";
        }
    }

    static Router routes(RegisterUser register, VerifyEmail verify, ResendVerification resend,
            RegistrationDisclosure disclosure) {
        return Router.builder()
                .route(REGISTER, request -> {
                    RegisterBody body = Json.readBody(request, RegisterBody.class);
                    RegisterUserCommand command = RegisterUserCommand.of(body.email(), body.password(), body.name());
                    if (disclosure == RegistrationDisclosure.SILENT) {
                        register.registerSilently(command, RequestOrigin.of(request));
                        return HttpResponse.json(202, Json.write(REGISTER_ACCEPTED));
                    }
                    RegisteredAccount account = register.register(command, RequestOrigin.of(request));
                    Map<String, Object> organization = new LinkedHashMap<>();
                    organization.put("id", account.organization().id());
                    organization.put("name", account.organization().name());
                    organization.put("role", PersonalOrganization.OWNER_ROLE);
                    Map<String, Object> response = new LinkedHashMap<>();
                    response.put("user", UserView.of(account.user()));
                    response.put("organization", organization);
                    return HttpResponse.json(201, Json.write(response));
                })
                .route(VERIFY, request -> {
                    VerifyBody body = Json.readBody(request, VerifyBody.class);
                    User user = verify.verify(body.token(), RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(Map.of("user", UserView.of(user))));
                })
                .route(RESEND, request -> {
                    ResendBody body = Json.readBody(request, ResendBody.class);
                    resend.resend(body.email(), RequestOrigin.of(request));
                    return HttpResponse.json(202, Json.write(RESEND_ACCEPTED));
                })
                .build();
    }
}
