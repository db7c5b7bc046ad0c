package dev.latchkey.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ratelimit.InMemoryRateLimiter;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** [15.3.4] The token endpoint's per-IP budget counts refusals only (issue 16: no counter write per issued token). */
class RefusalBudgetTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:05Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicInteger counted = new AtomicInteger();
    private final InMemoryRateLimiter counters = new InMemoryRateLimiter(clock);
    private final RateLimiter limiter = (bucket, limit) -> {
        counted.incrementAndGet();
        return counters.consume(bucket, limit);
    };
    private final RefusalBudget budget = new RefusalBudget(limiter, 3, clock);

    @Test
    @DisplayName("checking an address costs no request to the counters: a successful token writes nothing")
    void checkWhenNothingRefusedThenNoCounterRequest() {
        for (int i = 0; i < 100; i++) {
            budget.check("198.51.100.1");
        }
        assertThat(counted).hasValue(0);
    }

    @Test
    @DisplayName("refusals within the budget keep their own error; the one over it is 429, then every request is")
    void refusalsWhenOverTheBudgetThenEveryRequestOfTheAddressIsRefused() {
        OAuthError wrong = OAuthError.invalidClient(true, "Client authentication failed.");
        for (int i = 0; i < 3; i++) {
            budget.check("198.51.100.2");
            assertThat(budget.refused("198.51.100.2", wrong)).isSameAs(wrong);
        }
        OAuthError over = budget.refused("198.51.100.2", wrong);
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.headers()).containsEntry("ratelimit-limit", "3").containsKey("retry-after");
        assertThat(counted).hasValue(4);

        assertThatThrownBy(() -> budget.check("198.51.100.2")).isInstanceOfSatisfying(OAuthError.class,
                e -> assertThat(e.status()).isEqualTo(429));
        assertThat(counted).as("known over the limit: refused without a request").hasValue(4);
        budget.check("198.51.100.3");

        clock.advance(Duration.ofSeconds(55));
        budget.check("198.51.100.2");
        assertThat(budget.refused("198.51.100.2", wrong)).as("a new window").isSameAs(wrong);
    }

    @Test
    @DisplayName("another container's refusals: this one learns the address is over on its own first refusal")
    void refusedWhenAnotherContainerFilledTheBudgetThenTheFirstRefusalHereIs429() {
        RefusalBudget other = new RefusalBudget(limiter, 3, clock);
        OAuthError wrong = OAuthError.invalidGrant();
        for (int i = 0; i < 4; i++) {
            other.refused("198.51.100.4", wrong);
        }
        budget.check("198.51.100.4");
        assertThat(budget.refused("198.51.100.4", wrong).status()).isEqualTo(429);
        assertThatThrownBy(() -> budget.check("198.51.100.4")).isInstanceOf(OAuthError.class);
    }

    @Test
    @DisplayName("only client errors count: not a 429 and not a server error")
    void countsWhenClientErrorThenTrue() {
        assertThat(RefusalBudget.counts(OAuthError.invalidGrant())).isTrue();
        assertThat(RefusalBudget.counts(OAuthError.unsupportedGrantType())).isTrue();
        assertThat(RefusalBudget.counts(OAuthError.slowDown(new RateLimitDecision(false, 1, 0, T0, T0).headers())))
                .isFalse();
        assertThat(RefusalBudget.counts(OAuthError.serverError())).isFalse();
    }
}
