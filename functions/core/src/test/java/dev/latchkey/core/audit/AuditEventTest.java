package dev.latchkey.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AuditEventTest {

    private static final Instant AT = Instant.parse("2025-01-31T23:59:59.999Z");

    private static AuditEvent.Builder valid() {
        return AuditEvent.builder().eventId("evt_01JABCDEFGHJKMNPQRSTVWXYZ0").organizationId("org_01JORG")
                .actor(Actor.user("usr_01JUSER")).action("auth.login.succeeded").occurredAt(AT)
                .sourceIp("203.0.113.7").requestId("JYiRziXXIAMEMpA=");
    }

    @Test
    void builderWithIdsAndClockFillsAFreshEventIdAndTheTime() {
        MutableClock clock = new MutableClock(Instant.parse("2025-05-01T10:00:00.123456Z"));
        AuditEvent event = AuditEvent.builder(new SortableIdGenerator(clock, new SecureRandom()), clock)
                .actor(Actor.system("rotate-keys")).action("signing_key.rotated").requestId("req_1").build();

        assertThat(event.eventId()).startsWith(IdPrefix.EVENT.text() + "_").hasSize(30);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-05-01T10:00:00.123Z"));
        assertThat(event.organizationId()).isEmpty();
        assertThat(event.sourceIp()).isEmpty();
        assertThat(event.outcome()).isEqualTo(Outcome.SUCCESS);
    }

    @Test
    void orderKeyHasAFixedWidthTimeThenTheEventIdSoStringOrderIsTimeOrder() {
        AuditEvent event = valid().occurredAt(Instant.parse("2025-01-02T03:04:05Z")).build();
        assertThat(event.orderKey()).isEqualTo("2025-01-02T03:04:05.000Z#evt_01JABCDEFGHJKMNPQRSTVWXYZ0");

        AuditEvent earlier = valid().occurredAt(Instant.parse("2025-01-02T03:04:04.999Z")).build();
        assertThat(earlier.orderKey()).isLessThan(event.orderKey());
        assertThat(AuditEvent.formatTime(event.occurredAt())).isLessThan(event.orderKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "new_password", "current_password", "passwd", "passphrase", "token",
        "refresh_token", "access_token", "id_token", "secret", "client_secret", "key", "api_key", "key_id",
        "apikey", "authorization", "cookie", "set_cookie", "credential", "credentials", "totp", "otp_code",
        "pin", "pwd", "jwt", "hash", "salt", "seed", "code", "bearer", "private_jwk", "signature"})
    void detailKeyNamedLikeASecretIsRejectedAtConstruction(String key) {
        assertThatThrownBy(() -> valid().detail(key, "x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + key + "'")
                .hasMessageNotContaining("=x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reason", "method", "user_agent", "scope", "grant_type", "role", "new_role",
        "session_count", "attempts", "passkey_count", "email_verified", "kid"})
    void ordinaryDetailKeysAreAccepted(String key) {
        assertThat(valid().detail(key, "value").build().details()).containsEntry(key, "value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "to: Alice.Smith+x@sub.example.org", "lk_01ABCDEF_secret",
        "lkr_0123456789abcdef", "lkv_0123456789abcdef", "lkp_0123456789abcdef", "lkcs_0123456789abcdef_-x",
        "Bearer abc.def",
        "basic YWxhZGRpbjpvcGVu",
        "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c3IifQ.sig", "-----BEGIN PRIVATE KEY-----",
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", "line\nbreak", "tab\there", "nul\0"})
    void detailValueShapedLikeAnEmailACredentialOrWithControlCharactersIsRejected(String value) {
        assertThatThrownBy(() -> valid().detail("reason", value).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(value);
    }

    @Test
    void detailsAreBoundedInCountKeyShapeAndValueLength() {
        Map<String, String> twenty = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            twenty.put("k" + i + "x", "v");
        }
        assertThat(valid().details(twenty).build().details()).hasSize(20);
        twenty.put("one_more", "v");
        assertThatThrownBy(() -> valid().details(twenty).build()).isInstanceOf(IllegalArgumentException.class);

        assertThat(valid().detail("reason", "r".repeat(256)).build().details()).containsKey("reason");
        assertThatThrownBy(() -> valid().detail("reason", "r".repeat(257)).build())
                .isInstanceOf(IllegalArgumentException.class);
        for (String key : new String[] {"Reason", "1st", "has-dash", "a".repeat(33), "", "user.agent"}) {
            assertThatThrownBy(() -> valid().detail(key, "v").build()).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> valid().detail("reason", null).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detailsAreImmutableAndSortedByKey() {
        AuditEvent event = valid().detail("zeta", "1").detail("alpha", "2").build();
        assertThat(event.details().keySet()).containsExactly("alpha", "zeta");
        assertThatThrownBy(() -> event.details().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"au", "Auth.login", "auth.login.", "auth..login", ".auth", "auth login", "auth-login",
        "1auth.login", "auth.login.succeeded.and.a.very.long.tail.that.goes.past.sixty.four.chars"})
    void actionMustBeAStableDottedCode(String action) {
        assertThatThrownBy(() -> valid().action(action).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void actorIdsMustFitTheirTypeAndCannotBeEmails() {
        assertThat(Actor.user("usr_01J").id()).isEqualTo("usr_01J");
        assertThat(Actor.apiKey("key_01J").type()).isEqualTo(ActorType.API_KEY);
        assertThat(Actor.client("cli_01J").type()).isEqualTo(ActorType.CLIENT);
        assertThat(Actor.anonymous().id()).isEqualTo("anonymous");
        assertThat(Actor.system("rotate-keys").type()).isEqualTo(ActorType.SYSTEM);
        for (Runnable bad : new Runnable[] {
            () -> Actor.user("alice@example.com"), () -> Actor.user("key_01J"), () -> Actor.apiKey("lk_secret"),
            () -> Actor.client("usr_01J"), () -> new Actor(ActorType.ANONYMOUS, "usr_01J"),
            () -> Actor.system("Rotate Keys"), () -> Actor.user("usr_"), () -> Actor.user("usr_01J#x")}) {
            assertThatThrownBy(bad::run).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void targetIsATypeAndAnIdWithoutEmailOrControlCharacters() {
        assertThat(new Target("signing_key", "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs").type())
                .isEqualTo("signing_key");
        assertThatThrownBy(() -> new Target("user", "alice@example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Target("User", "usr_1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Target("user", "usr_1\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherFieldsAreValidated() {
        assertThatThrownBy(() -> valid().eventId("usr_01J").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().eventId("evt_01J#2").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().organizationId("system").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().organizationId("org_1#2").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().sourceIp("10.0.0.1, 10.0.0.2").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().requestId("req 1").build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().occurredAt(Instant.parse("1969-12-31T23:59:59Z")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().occurredAt(AuditEvent.LATEST).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> valid().actor(null).build()).isInstanceOf(NullPointerException.class);
        assertThat(valid().sourceIp("2001:db8::1").organizationId(Optional.empty()).build().organizationId())
                .isEmpty();
    }
}
