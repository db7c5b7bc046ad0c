package dev.latchkey.infrastructure.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ListCursorTest {

    private static final String ORG = "org_01JD3ZK8W6Q4V8S2M9N7T5R3P1";
    private static final String PREFIX = "CLIENT#";
    private static final String TIME = "2026-11-26T01:02:03.004Z";
    private static final String ID = "cli_01JD3ZK8W6Q4V8S2M9N7T5R3P2";
    private static final Predicate<String> IS_CLIENT_ID = id -> id.startsWith("cli_");

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void afterAnItemThenEncodedOpaquelyAndReadBackForTheSameOrganization() {
        ListCursor cursor = ListCursor.after(ORG, PREFIX, Map.of(LatchkeyTable.GSI1_SK,
                AttributeValue.fromS(PREFIX + TIME + "#" + ID)));

        assertThat(cursor).isEqualTo(new ListCursor(ORG, TIME, ID));
        assertThat(cursor.encode()).isEqualTo(base64("v1|" + ORG + "|" + TIME + "|" + ID)).doesNotContain("=");
        assertThat(ListCursor.decode(cursor.encode(), ORG, IS_CLIENT_ID)).contains(cursor);
        assertThat(cursor.gsi1SortKey(PREFIX)).isEqualTo(PREFIX + TIME + "#" + ID);
    }

    @Test
    void gsi1SortKeyWhenWrittenThenFixedWidthMillisecondsAndReadBackByAfter() {
        String sortKey = ListCursor.gsi1SortKey(PREFIX, Instant.parse(TIME).plusNanos(999_999), ID);

        assertThat(sortKey).isEqualTo(PREFIX + TIME + "#" + ID);
        assertThat(ListCursor.gsi1SortKey(PREFIX, Instant.parse("2026-01-02T03:04:05Z"), ID))
                .isEqualTo(PREFIX + "2026-01-02T03:04:05.000Z#" + ID);
        assertThat(ListCursor.after(ORG, PREFIX, Map.of(LatchkeyTable.GSI1_SK, AttributeValue.fromS(sortKey))))
                .isEqualTo(new ListCursor(ORG, TIME, ID));
    }

    @Test
    void decodeWhenAnotherOrganizationsCursorThenRefused() {
        String theirs = new ListCursor("org_01JD3ZK8W6Q4V8S2M9N7T5R3P9", TIME, ID).encode();

        assertThat(ListCursor.decode(theirs, ORG, IS_CLIENT_ID)).isEmpty();
    }

    @Test
    void decodeWhenIdNotOfTheListedKindThenRefused() {
        String keyCursor = new ListCursor(ORG, TIME, "key_01JD3ZK8W6Q4V8S2M9N7T5R3P2").encode();

        assertThat(ListCursor.decode(keyCursor, ORG, IS_CLIENT_ID)).isEmpty();
    }

    @Test
    void decodeWhenNotTheCanonicalEncodingThenRefused() {
        String canonical = new ListCursor(ORG, TIME, ID).encode();
        String padded = Base64.getUrlEncoder().encodeToString(("v1|" + ORG + "|" + TIME + "|" + ID)
                .getBytes(StandardCharsets.UTF_8));

        assertThat(padded).isNotEqualTo(canonical);
        assertThat(ListCursor.decode(padded, ORG, IS_CLIENT_ID)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bogus", "not-a-cursor", "!!!!"})
    void decodeWhenNotBase64OrNotACursorThenRefused(String text) {
        assertThat(ListCursor.decode(text, ORG, IS_CLIENT_ID)).isEmpty();
    }

    @Test
    void decodeWhenMalformedPartsThenRefused() {
        for (String plain : new String[] {"v2|" + ORG + "|" + TIME + "|" + ID, "v1|" + ORG + "|" + TIME,
                "v1|" + ORG + "|2026-11-26T01:02:03Z|" + ID, "v1|" + ORG + "|2026-13-40T01:02:03.004Z|" + ID,
                "v1|" + ORG + "|" + TIME + "|" + ID + "|x"}) {
            assertThat(ListCursor.decode(base64(plain), ORG, IS_CLIENT_ID)).as(plain).isEmpty();
        }
        assertThat(ListCursor.decode(null, ORG, IS_CLIENT_ID)).isEmpty();
        assertThat(ListCursor.decode("A".repeat(ListCursor.MAX_LENGTH + 1), ORG, IS_CLIENT_ID)).isEmpty();
    }
}
