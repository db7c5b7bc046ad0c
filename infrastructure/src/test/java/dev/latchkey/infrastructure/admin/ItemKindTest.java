package dev.latchkey.infrastructure.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.infrastructure.dynamodb.Keys;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What an export moves, by item key (issue 21: a key's external-id index item moves with it; its counts do not). */
class ItemKindTest {

    @Test
    @DisplayName("a key's external-id index item is exported with the key; its daily verification counts are not")
    void ofWhenExternalIdIndexOrVerificationCountsThenIndexMovesAndCountsStay() {
        var index = Keys.apiKeyByExternalId("org_1", "tenant_42", "key_1");
        var counts = Keys.verifications("org_1", "key_1", LocalDate.of(2026, 12, 7));
        var organizationCounts = Keys.verifications("org_1", null, LocalDate.of(2026, 12, 7));

        assertThat(ItemKind.of(index.get("pk").s(), index.get("sk").s())).contains(ItemKind.API_KEY_EXTERNAL_ID);
        assertThat(ItemKind.ofCode("api_key_external_id")).contains(ItemKind.API_KEY_EXTERNAL_ID);
        assertThat(ItemKind.of(counts.get("pk").s(), counts.get("sk").s())).isEmpty();
        assertThat(ItemKind.of(organizationCounts.get("pk").s(), organizationCounts.get("sk").s())).isEmpty();
    }

    @Test
    @DisplayName("an application, its marker and a user's consent are exported; browser sessions are not")
    void ofWhenApplicationMarkerConsentOrSsoSessionThenTheFirstThreeMoveAndTheSessionStays() {
        var application = Keys.application("app_1");
        var marker = Keys.applicationMarker("org_1", "app_1");
        var consent = Keys.consent("usr_1", "app_1");
        var sso = Keys.ssoSession("abc");

        assertThat(ItemKind.of(application.get("pk").s(), application.get("sk").s()))
                .contains(ItemKind.APPLICATION);
        assertThat(ItemKind.of(marker.get("pk").s(), marker.get("sk").s())).contains(ItemKind.APPLICATION_MARKER);
        assertThat(ItemKind.of(consent.get("pk").s(), consent.get("sk").s())).contains(ItemKind.CONSENT);
        assertThat(ItemKind.ofCode("application_marker")).contains(ItemKind.APPLICATION_MARKER);
        assertThat(ItemKind.of(sso.get("pk").s(), sso.get("sk").s())).isEmpty();
    }
}
