package dev.latchkey.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.testing.MutableClock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditQueryTest {

    private static void assertInvalid(Runnable build, String field) {
        assertThatThrownBy(build::run).isInstanceOfSatisfying(AuditException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
            assertThat(e.details()).containsEntry("field", field);
        });
    }

    @Test
    void limitMustBeBetweenOneAndOneHundred() {
        assertThat(AuditQuery.latest().limit()).isEqualTo(50);
        assertThat(AuditQuery.builder().limit(1).build().limit()).isEqualTo(1);
        assertThat(AuditQuery.builder().limit(100).build().limit()).isEqualTo(100);
        assertInvalid(() -> AuditQuery.builder().limit(0).build(), "limit");
        assertInvalid(() -> AuditQuery.builder().limit(101).build(), "limit");
    }

    @Test
    void fromMustBeBeforeTo() {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        assertInvalid(() -> AuditQuery.builder().from(at).to(at).build(), "from");
        assertInvalid(() -> AuditQuery.builder().from(Instant.parse("1969-01-01T00:00:00Z")).build(), "from");
    }

    @Test
    void actionFilterIsExactOrADottedPrefix() {
        assertThat(ActionFilter.parse("auth.")).isEqualTo(ActionFilter.startingWith("auth."));
        assertThat(ActionFilter.parse("auth.login.failed")).isEqualTo(ActionFilter.exactly("auth.login.failed"));
        assertThat(ActionFilter.parse("auth.").matches("auth.login.failed")).isTrue();
        assertThat(ActionFilter.parse("auth.").matches("authz.denied")).isFalse();
        assertThat(ActionFilter.parse("auth.login.").matches("auth.logout")).isFalse();
        for (String bad : new String[] {"", ".", "auth..", "Auth.", "auth.*", "a b."}) {
            assertInvalid(() -> ActionFilter.parse(bad), "action");
        }
        assertInvalid(() -> ActionFilter.startingWith("auth"), "action");
    }

    @Test
    void actorIdAndCursorAreBounded() {
        assertInvalid(() -> AuditQuery.builder().actorId("alice@example.com").build(), "actor_id");
        assertInvalid(() -> AuditQuery.builder().cursor("").build(), "cursor");
        assertInvalid(() -> AuditQuery.builder().cursor("x".repeat(513)).build(), "cursor");
    }

    @Test
    void monthsRunFromTheMonthBeforeToExclusiveBackToFrom() {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-10T00:00:00Z"));
        assertThat(AuditQuery.builder().from(Instant.parse("2025-01-31T23:00:00Z"))
                .to(Instant.parse("2025-03-01T00:00:00Z")).build().months(clock))
                .containsExactly(YearMonth.of(2025, 2), YearMonth.of(2025, 1));
        assertThat(AuditQuery.builder().from(Instant.parse("2025-02-01T00:00:00Z")).build().months(clock))
                .containsExactly(YearMonth.of(2025, 3), YearMonth.of(2025, 2));
        assertThat(AuditQuery.builder().from(Instant.parse("2025-04-01T00:00:00Z")).build().months(clock)).isEmpty();
        assertThat(AuditQuery.latest().months(clock)).hasSize(24);
    }

    @Test
    void continueAtKeepsEveryFilter() {
        AuditQuery query = AuditQuery.builder().actorId("usr_1").action("auth.").limit(7)
                .from(Instant.parse("2025-01-01T00:00:00Z")).build();
        AuditQuery next = query.continueAt("abc");
        assertThat(next).isEqualTo(new AuditQuery(query.actorId(), query.action(), query.from(), query.to(), 7,
                Optional.of("abc")));
    }
}
