package dev.latchkey.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

class InMemoryAuditLogTest extends AuditLogContract {

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryAuditLog log = new InMemoryAuditLog(clock);

    @Override
    protected AuditLog log() {
        return log;
    }

    @Override
    protected MutableClock clock() {
        return clock;
    }

    @Test
    void eventsListsWhatWasRecordedInOrderForAssertionsInUseCaseTests() {
        String org = newOrganization();
        AuditEvent first = recorded(event(org, NOW.minusSeconds(2)).action("auth.login.failed"));
        AuditEvent second = recorded(event(org, NOW.minusSeconds(1)));

        assertThat(log.events()).containsExactly(first, second);
        assertThat(log.events("auth.login.failed")).containsExactly(first);
        assertThat(log.last()).contains(second);
    }

    @Test
    void failWithMakesRecordAndFindFailUntilHealed() {
        String org = newOrganization();
        log.failWith(new StoreUnavailableException(new RuntimeException("down")));

        assertThatThrownBy(() -> log.record(event(org, NOW).build())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> log.find(org, AuditQuery.latest())).isInstanceOf(StoreUnavailableException.class);

        log.failWith(null);
        assertThat(log.find(org, AuditQuery.latest()).events()).isEmpty();
    }
}
