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
}
