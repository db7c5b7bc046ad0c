package dev.latchkey.functions.register;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.RegistrationDisclosure;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserView;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Route;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegisterEndpointsTest {

    @Test
    void routerServesTheThreeRegisterRoutes() {
        var router = RegisterEndpoints.routes(null, null, null, RegistrationDisclosure.EXPLICIT);

        assertThat(router.routes()).extracting(Route::key).containsExactlyInAnyOrder(
                "POST /v1/auth/register", "POST /v1/auth/email/verify", "POST /v1/auth/email/verify/resend");
    }

    @Test
    @DisplayName("[15.3.3] The user view has exactly the documented fields, never the password hash")
    void userViewWhenWrittenThenDocumentedFieldsOnly() {
        User user = new User("usr_01J0000000000000000000000A", EmailAddress.parse("Ada@Example.com"), "Ada",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", true, Instant.parse("2026-03-12T10:15:30.123Z"),
                "org_01J0000000000000000000000A");

        var json = Json.mapper().readTree(Json.write(UserView.of(user)));

        assertThat(json.propertyNames()).containsExactly("id", "email", "name", "email_verified", "created_at");
        assertThat(json.path("email").asString()).isEqualTo("Ada@Example.com");
        assertThat(json.path("email_verified").asBoolean()).isTrue();
        assertThat(json.path("created_at").asString()).isEqualTo("2026-03-12T10:15:30.123Z");
        assertThat(json.toString()).doesNotContain("argon2");
    }

    @Test
    @DisplayName("[15.3.3] Mass assignment: an email_verified or role field in the body is refused as unknown")
    void readBodyWhenExtraPrivilegedFieldThenRefused() {
        byte[] body = "{\"email\":\"a@example.com\",\"password\":\"x\",\"name\":\"A\",\"email_verified\":true}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        var error = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.latchkey.core.http.RequestException.class,
                () -> Json.read(body, RegisterEndpoints.RegisterBody.class));

        assertThat(error.details()).containsEntry("field", "email_verified");
    }
}
