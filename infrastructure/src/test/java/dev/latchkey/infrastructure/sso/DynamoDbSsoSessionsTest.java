package dev.latchkey.infrastructure.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.sso.SsoCookie;
import dev.latchkey.core.sso.SsoSession;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Browser sessions and consents on the emulator with the real key design (SSO#, USER#/CONSENT#). */
class DynamoDbSsoSessionsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T06:00:00Z");
    private static EmulatedTable emulated;
    private static DynamoDbSsoSessions sessions;
    private static DynamoDbConsents consents;

    @BeforeAll
    static void start() {
        emulated = EmulatedTable.start();
        sessions = new DynamoDbSsoSessions(emulated.client(), EmulatedTable.TABLE);
        consents = new DynamoDbConsents(emulated.client(), EmulatedTable.TABLE);
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    @Test
    void saveWhenStoredThenFoundByHashOnlyWithTtlAndNeverTheCookieValue() {
        String cookie = SsoCookie.newValue(new SecureRandom());
        String hash = SsoCookie.hash(cookie);
        SsoSession session = new SsoSession(hash, "usr_1", "ses_1", T0, T0.plusSeconds(3600));

        sessions.save(session);

        assertThat(sessions.find(hash)).contains(session);
        var item = emulated.client().getItem(b -> b.tableName(EmulatedTable.TABLE).key(Keys.ssoSession(hash))).item();
        assertThat(item.get(LatchkeyTable.TTL_ATTRIBUTE).n()).isEqualTo(Long.toString(T0.plusSeconds(3600)
                .getEpochSecond()));
        assertThat(item.toString()).doesNotContain(cookie);
        assertThatThrownBy(() -> sessions.save(session)).as("never overwritten")
                .isInstanceOf(IllegalStateException.class);

        sessions.delete(hash);
        assertThat(sessions.find(hash)).isEmpty();
        sessions.delete(hash);
    }

    @Test
    void grantWhenTwiceThenTheScopesAddUpPerUserAndClient() {
        assertThat(consents.granted("usr_2", "app_1")).isEmpty();

        consents.grant("usr_2", "app_1", Set.of("openid", "email"), T0);
        consents.grant("usr_2", "app_1", Set.of("profile"), T0.plusSeconds(5));

        assertThat(consents.granted("usr_2", "app_1")).containsExactlyInAnyOrder("openid", "email", "profile");
        assertThat(consents.granted("usr_2", "app_2")).isEmpty();
        assertThat(consents.granted("usr_3", "app_1")).isEmpty();
    }
}
