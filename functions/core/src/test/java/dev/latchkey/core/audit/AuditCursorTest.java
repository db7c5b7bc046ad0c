package dev.latchkey.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditCursorTest {

    private static final AuditEvent EVENT = AuditEvent.builder().eventId("evt_01JEVENT").organizationId("org_01JA")
            .actor(Actor.user("usr_01J")).action("auth.login.succeeded")
            .occurredAt(Instant.parse("2025-02-01T00:00:00.007Z")).requestId("r1").build();

    @Test
    void encodeThenDecodeRoundTripsAndIsBase64UrlWithoutPadding() {
        AuditCursor cursor = AuditCursor.after("org_01JA", EVENT);
        String text = cursor.encode();

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(AuditCursor.decode(text, "org_01JA")).isEqualTo(cursor);
        assertThat(cursor.month()).isEqualTo(YearMonth.of(2025, 2));
        assertThat(cursor.after()).contains("2025-02-01T00:00:00.007Z#evt_01JEVENT");
        AuditCursor start = AuditCursor.startOf(AuditLog.NO_ORGANIZATION, YearMonth.of(2024, 12));
        assertThat(AuditCursor.decode(start.encode(), AuditLog.NO_ORGANIZATION)).isEqualTo(start);
    }

    @Test
    void decodeForAnotherScopeIsAValidationErrorThatNamesNoTenant() {
        String text = AuditCursor.after("org_01JA", EVENT).encode();
        assertThatThrownBy(() -> AuditCursor.decode(text, "org_01JB")).isInstanceOfSatisfying(AuditException.class,
                e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                    assertThat(e.getMessage()).doesNotContain("org_");
                    assertThat(e.details()).containsOnlyKeys("field");
                });
    }

    @Test
    void partsMustAgree() {
        assertThatThrownBy(() -> new AuditCursor("org_01JA", YearMonth.of(2025, 1),
                Optional.of("2025-02-01T00:00:00.007Z#evt_01JEVENT"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuditCursor("AUDIT#x", YearMonth.of(2025, 1), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
