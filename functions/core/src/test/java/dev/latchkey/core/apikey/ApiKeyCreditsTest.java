package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.principal.AccessException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Usage credits (issue 21 §1): spending, exhaustion, cost 0, lazy refill, management and its audit. */
class ApiKeyCreditsTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    private static Optional<CreditRefill> daily(long amount) {
        return Optional.of(new CreditRefill(CreditRefill.Interval.DAILY, amount, Optional.empty()));
    }

    @Test
    @DisplayName("each verify spends one credit; at zero the key is USAGE_EXCEEDED with credits_remaining 0")
    void verifyWhenCreditsRunOutThenUsageExceeded() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(2, Optional.empty()));

        Verification first = f.verify(created.token());
        Verification second = f.verify(created.token());
        Verification third = f.verify(created.token());

        assertThat(first.valid()).isTrue();
        assertThat(first.creditsRemaining()).hasValue(1);
        assertThat(second.creditsRemaining()).hasValue(0);
        assertThat(third.failure()).contains(VerificationFailure.USAGE_EXCEEDED);
        assertThat(third.creditsRemaining()).hasValue(0);
        assertThat(f.repository.creditWrites()).as("no write once none are left").isEqualTo(2);
    }

    @Test
    @DisplayName("a one-use key is credits {remaining: 1}")
    void verifyWhenOneUseKeyThenValidOnce() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(1, Optional.empty()));

        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.USAGE_EXCEEDED);
    }

    @Test
    @DisplayName("cost spends that many; a cost above what is left spends nothing; cost 0 checks without a write")
    void verifyWhenCostGivenThenSpendsCostAndZeroChecksOnly() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(10, Optional.empty()));

        Verification seven = f.verify.verify(created.token().value(), Optional.empty(), 7);
        Verification tooMuch = f.verify.verify(created.token().value(), Optional.empty(), 4);
        int writes = f.repository.creditWrites();
        Verification check = f.verify.verify(created.token().value(), Optional.empty(), 0);

        assertThat(seven.creditsRemaining()).hasValue(3);
        assertThat(tooMuch.failure()).contains(VerificationFailure.USAGE_EXCEEDED);
        assertThat(tooMuch.creditsRemaining()).hasValue(3);
        assertThat(check.valid()).isTrue();
        assertThat(check.creditsRemaining()).hasValue(3);
        assertThat(f.repository.creditWrites()).isEqualTo(writes);
        assertThat(f.stored(created.key().id()).credits().orElseThrow().remaining()).isEqualTo(3);
    }

    @Test
    @DisplayName("a cost out of range is a VALIDATION_ERROR naming 'cost', before any read")
    void verifyWhenCostOutOfRangeThenValidationError() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(10, Optional.empty()));

        assertThatThrownBy(() -> f.verify.verify(created.token().value(), Optional.empty(), -1))
                .isInstanceOf(ApiKeyException.class).hasMessageContaining("cost");
        assertThat(f.repository.finds()).isZero();
    }

    @Test
    @DisplayName("credits and the key's own limit are one write on the key: over the limit is RATE_LIMITED and spends "
            + "nothing; the default limit of a key that can make keys stays on the counter its keys share")
    void verifyWhenCreditsAndOwnLimitThenOneWriteOnTheKey() {
        CreatedApiKey metered = f.create(ApiKeyFixture.command().credits(10, Optional.empty()).rateLimit(2, 60));
        CreatedApiKey maker = f.create(ApiKeyFixture.command().permissions("api_key:create")
                .credits(10, Optional.empty()).rateLimit(2, 60));
        dev.latchkey.core.ratelimit.RateLimit limit = dev.latchkey.core.ratelimit.RateLimit.perSeconds(2, 60);

        Verification first = f.verify(metered.token());
        Verification second = f.verify(metered.token());
        Verification third = f.verify(metered.token());
        int writes = f.repository.creditWrites();
        Verification makers = f.verify(maker.token());

        assertThat(first.creditsRemaining()).hasValue(9);
        assertThat(first.rateLimit().orElseThrow().remaining()).isEqualTo(1);
        assertThat(second.rateLimit().orElseThrow().remaining()).isZero();
        assertThat(third.failure()).contains(VerificationFailure.RATE_LIMITED);
        assertThat(writes).as("the refusal is decided from the read").isEqualTo(2);
        assertThat(f.stored(metered.key().id()).credits().orElseThrow().remaining()).isEqualTo(8);
        assertThat(f.stored(metered.key().id()).credits().orElseThrow().windows().get("default").count())
                .isEqualTo(2);
        assertThat(f.limiter.consume("apikey:" + metered.key().id(), limit, 0).remaining()).as("no counter item")
                .isEqualTo(2);
        assertThat(makers.creditsRemaining()).hasValue(9);
        assertThat(f.limiter.consume("apikey:" + maker.key().id(), limit, 0).remaining()).isEqualTo(1);
        assertThat(f.repository.creditWrites()).isEqualTo(writes + 1);
    }

    @Test
    @DisplayName("a key without credits spends nothing and reports no credits")
    void verifyWhenNoCreditsThenNoCreditWrite() {
        CreatedApiKey created = f.create();

        Verification verification = f.verify.verify(created.token().value(), Optional.empty(), 5);

        assertThat(verification.valid()).isTrue();
        assertThat(verification.creditsRemaining()).isEmpty();
        assertThat(f.repository.creditWrites()).isZero();
    }

    @Test
    @DisplayName("a daily refill sets the credits back to its amount with the first verify of the next UTC day")
    void verifyWhenDailyRefillDueThenRefilledLazily() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(1, daily(5)));
        assertThat(f.verify(created.token()).valid()).isTrue();
        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.USAGE_EXCEEDED);

        f.clock.advance(Duration.ofDays(1));
        Verification nextDay = f.verify(created.token());

        assertThat(nextDay.creditsRemaining()).hasValue(4);
        assertThat(f.stored(created.key().id()).credits().orElseThrow().refilledAt())
                .contains(Instant.parse("2026-03-13T00:00:00Z"));
        assertThat(f.verify(created.token()).creditsRemaining()).as("once per period").hasValue(3);
    }

    @Test
    @DisplayName("a monthly refill on day 31 happens on the last day of a shorter month")
    void refillWhenMonthlyDay31ThenLastDayOfShorterMonth() {
        CreditRefill refill = new CreditRefill(CreditRefill.Interval.MONTHLY, 100, Optional.of(31));

        assertThat(refill.periodStart(Instant.parse("2026-03-15T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-02-28T00:00:00Z"));
        assertThat(refill.periodStart(Instant.parse("2026-03-31T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-03-31T00:00:00Z"));
        assertThat(refill.nextPeriodStart(Instant.parse("2026-03-31T10:00:00Z")))
                .isEqualTo(Instant.parse("2026-04-30T00:00:00Z"));
        assertThat(new CreditRefill(CreditRefill.Interval.MONTHLY, 1, Optional.empty())
                .periodStart(Instant.parse("2026-03-15T12:00:00Z"))).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
    }

    @Test
    @DisplayName("a read shows a due refill applied, without writing it")
    void readWhenRefillDueThenShownRefilled() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(0, daily(5)));
        f.clock.advance(Duration.ofDays(1));

        ApiKey shown = f.manage.show(f.owner, created.key().id());

        assertThat(shown.credits().orElseThrow().at(f.clock.instant()).remaining()).isEqualTo(5);
        assertThat(f.stored(created.key().id()).credits().orElseThrow().remaining()).isZero();
    }

    @Test
    @DisplayName("set, add and unlimited change the credits, each audited as api_key.credits_changed")
    void manageWhenSetAddUnlimitedThenChangedAndAudited() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(1, Optional.empty()));
        String id = created.key().id();

        f.manage.setCredits(f.owner, id, Optional.of(new ApiKeyCredits(10, daily(10), Optional.empty())),
                ApiKeyFixture.ORIGIN);
        ApiKey added = f.manage.addCredits(f.owner, id, 5, ApiKeyFixture.ORIGIN);
        assertThat(added.credits().orElseThrow().remaining()).isEqualTo(15);
        ApiKey unlimited = f.manage.setCredits(f.owner, id, Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(unlimited.credits()).isEmpty();
        assertThat(f.stored(id).credits()).isEmpty();
        assertThat(f.audit.events(ApiKeyAudit.CREDITS_CHANGED)).extracting(e -> e.details().get("operation"))
                .containsExactly("set", "add", "unlimited");
        assertThat(f.audit.events(ApiKeyAudit.CREDITS_CHANGED).get(0).details())
                .containsEntry("remaining", "10").containsEntry("refill", "daily:10");
        assertThatThrownBy(() -> f.manage.addCredits(f.owner, id, 5, ApiKeyFixture.ORIGIN))
                .isInstanceOf(ApiKeyException.class).hasMessageContaining("no credits");
    }

    @Test
    @DisplayName("[SECURITY API keys] a metered key cannot refill itself nor make an unmetered key")
    void manageWhenMeteredKeyChangesItselfOrMakesKeysThenForbidden() {
        CreatedApiKey metered = f.create(ApiKeyFixture.command().credits(3, Optional.empty())
                .permissions("api_key:create"));
        ApiKey stored = f.stored(metered.key().id());

        Throwable refill = org.assertj.core.api.Assertions.catchThrowable(() -> f.manage.addCredits(
                f.asStoredKey(stored), stored.id(), 100, ApiKeyFixture.ORIGIN));
        Throwable make = org.assertj.core.api.Assertions.catchThrowable(() -> f.manage.create(f.asStoredKey(stored),
                ApiKeyFixture.command().build(), ApiKeyFixture.ORIGIN));

        assertThat(refill).isInstanceOf(AccessException.class);
        assertThat(((LatchkeyException) refill).details()).containsEntry("reason", "NOT_OWN_FAMILY");
        assertThat(make).isInstanceOf(AccessException.class);
        assertThat(((LatchkeyException) make).details()).containsEntry("reason", "METERED_MAKER");
        assertThat(f.stored(stored.id()).credits().orElseThrow().remaining()).isEqualTo(3);
    }

    @Test
    @DisplayName("authenticating with a metered key spends a credit; an exhausted key does not authenticate")
    void authenticateWhenMeteredThenSpendsAndExhaustedFails() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().credits(1, Optional.empty()));

        f.verify.authenticate(created.token().value());

        assertThatThrownBy(() -> f.verify.authenticate(created.token().value()))
                .isInstanceOf(AccessException.class);
        assertThat(f.stored(created.key().id()).credits().orElseThrow().remaining()).isZero();
    }
}
