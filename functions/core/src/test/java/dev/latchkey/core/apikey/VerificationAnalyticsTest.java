package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.principal.Permissions;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Verification analytics (docs/api-keys.md "Verification analytics"; issue 21 §5) on in-memory fakes. */
class VerificationAnalyticsTest {

    private final ApiKeyFixture fixture = new ApiKeyFixture();
    private final LocalDate today = VerificationAnalytics.day(ApiKeyFixture.T0);

    private VerifyOptions from(String ip) {
        return new VerifyOptions(1, Optional.empty(), 1, Optional.of(ip));
    }

    @Test
    @DisplayName("verifications within the flush interval cost no write; the first verify after it writes the key's "
            + "day and the organization's day, once")
    void verifyWhenWithinIntervalThenNoWriteAndOneKeyAndOneOrganizationWriteWhenDue() {
        ApiKeyToken token = fixture.create().token();
        for (int i = 0; i < 100; i++) {
            fixture.clock.advance(Duration.ofMillis(500));
            assertThat(fixture.verify(token).valid()).isTrue();
        }
        assertThat(fixture.analyticsStore.writes()).isZero();

        // The interval runs from the first verification this container counted (at 0.5 s).
        fixture.clock.advance(Duration.ofSeconds(11));
        assertThat(fixture.verify(token).valid()).isTrue();

        assertThat(fixture.analyticsStore.writes()).isEqualTo(2);
        assertThat(fixture.analyticsStore.read(fixture.organizationId, token.keyId(), today, today))
                .singleElement().satisfies(day -> assertThat(day.counts()).isEqualTo(
                        Map.of(VerificationOutcome.VALID, 101L)));
        assertThat(fixture.analyticsStore.read(fixture.organizationId, null, today, today))
                .singleElement().satisfies(day -> assertThat(day.total()).isEqualTo(101));
    }

    @Test
    @DisplayName("every outcome of a known key is counted; a key nobody holds (NOT_FOUND) belongs to no one")
    void verifyWhenEachOutcomeThenCountedByOutcome() {
        ApiKeyToken plain = fixture.create(ApiKeyFixture.command().permissions("read")).token();
        ApiKeyToken limited = fixture.create(ApiKeyFixture.command().rateLimit(1, 60)).token();
        ApiKeyToken metered = fixture.manage.create(fixture.owner, new CreateApiKeyCommand("metered", List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(new ApiKeyCredits(0, Optional.empty(), Optional.empty()))), ApiKeyFixture.ORIGIN).token();
        ApiKeyToken listed = fixture.manage.create(fixture.owner, new CreateApiKeyCommand("listed", List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                new ApiKeyOwnerData(ApiKeyOwnerData.ranges(List.of("203.0.113.0/24")), Optional.empty(),
                        Optional.empty())), ApiKeyFixture.ORIGIN).token();
        ApiKeyToken expiring = fixture.create(ApiKeyFixture.command().expiresInDays(1)).token();
        ApiKeyToken revoked = fixture.create().token();
        fixture.manage.revoke(fixture.owner, revoked.keyId(), Optional.empty(), ApiKeyFixture.ORIGIN);

        fixture.verify(plain, "read");
        fixture.verify(plain, "write");
        fixture.verify(limited);
        fixture.verify(limited);
        fixture.verify(metered);
        fixture.verify.verify(listed.value(), Optional.empty(), from("198.51.100.1"));
        fixture.verify.verify(listed.value(), Optional.empty(), from("203.0.113.1"));
        fixture.verify(revoked);
        fixture.verify(fixture.unknownKey());
        fixture.verify.verify("lk_nonsense", Optional.empty());
        fixture.clock.advance(Duration.ofDays(1).minusMinutes(10));
        fixture.verify(expiring);
        fixture.analytics.flush();

        LocalDate day = VerificationAnalytics.day(fixture.clock.instant());
        assertThat(fixture.analyticsStore.read(fixture.organizationId, null, today, day).stream()
                .map(DailyVerifications::counts)).containsExactly(Map.of(
                        VerificationOutcome.VALID, 3L,
                        VerificationOutcome.PERMISSION_DENIED, 1L,
                        VerificationOutcome.RATE_LIMITED, 1L,
                        VerificationOutcome.USAGE_EXCEEDED, 1L,
                        VerificationOutcome.IP_NOT_ALLOWED, 1L,
                        VerificationOutcome.REVOKED, 1L), Map.of(VerificationOutcome.VALID, 1L));
        fixture.clock.advance(Duration.ofMinutes(20));
        fixture.verify(expiring);
        fixture.analytics.flush();
        assertThat(fixture.analyticsStore.read(fixture.organizationId, expiring.keyId(), day, day))
                .singleElement().satisfies(d -> assertThat(d.counts()).isEqualTo(Map.of(VerificationOutcome.VALID,
                        1L, VerificationOutcome.EXPIRED, 1L)));
    }

    @Test
    @DisplayName("a failed flush never fails a verify; its counts are written by a later flush, none twice")
    void flushWhenStoreFailsThenVerifyStillAnswersAndCountsAreRetriedOnce() {
        ApiKeyToken token = fixture.create().token();
        fixture.verify(token);
        fixture.analyticsStore.broken(true);
        fixture.clock.advance(VerificationAnalytics.DEFAULT_INTERVAL);

        assertThat(fixture.verify(token).valid()).isTrue();

        fixture.analyticsStore.broken(false);
        fixture.analytics.flush();
        assertThat(fixture.analyticsStore.read(fixture.organizationId, token.keyId(), today, today))
                .singleElement().satisfies(d -> assertThat(d.total()).isEqualTo(2));
        assertThat(fixture.analyticsStore.read(fixture.organizationId, null, today, today))
                .singleElement().satisfies(d -> assertThat(d.total()).isEqualTo(2));
    }

    @Test
    @DisplayName("a due flush of many keys is spread over the next verifies, a bounded number of writes each")
    void flushWhenManyKeysDueThenEachVerifyWritesAtMostItsShare() {
        List<ApiKeyToken> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(fixture.create().token());
        }
        tokens.forEach(fixture::verify);
        fixture.clock.advance(VerificationAnalytics.DEFAULT_INTERVAL);

        int before = fixture.analyticsStore.writes();
        fixture.verify(tokens.get(0));
        assertThat(fixture.analyticsStore.writes() - before).isEqualTo(VerificationAnalytics.MAX_WRITES_PER_VERIFY);
        for (int i = 0; i < 5; i++) {
            fixture.verify(tokens.get(0));
        }
        // 20 key days + 1 organization day, then nothing more is due.
        assertThat(fixture.analyticsStore.writes() - before).isEqualTo(21);
        assertThat(fixture.analytics.pendingSlots()).isEqualTo(1);
    }

    @Test
    @DisplayName("a key's analytics: every day of the range, zeros included; the container's pending counts first")
    void forKeyWhenReadThenEveryDayOfTheRangeIncludingThisContainersPendingCounts() {
        ApiKeyToken token = fixture.create(ApiKeyFixture.command().permissions("read")).token();
        fixture.verify(token, "read");
        fixture.verify(token, "write");
        fixture.clock.advance(Duration.ofDays(2));
        fixture.verify(token, "read");

        LocalDate now = VerificationAnalytics.day(fixture.clock.instant());
        VerificationReport report = fixture.showAnalytics.forKey(fixture.owner, token.keyId(),
                fixture.showAnalytics.range(Optional.of(today.toString()), Optional.empty(), Optional.empty()));

        assertThat(report.days()).extracting(DailyVerifications::day).containsExactly(today, today.plusDays(1), now);
        assertThat(report.days()).extracting(DailyVerifications::total).containsExactly(2L, 0L, 1L);
        assertThat(report.totals().counts()).isEqualTo(Map.of(VerificationOutcome.VALID, 2L,
                VerificationOutcome.PERMISSION_DENIED, 1L));
        VerificationReport denied = fixture.showAnalytics.forOrganization(fixture.owner, fixture.showAnalytics.range(
                Optional.of(today.toString()), Optional.of(now.toString()), Optional.of("permission_denied")));
        assertThat(denied.days()).extracting(DailyVerifications::total).containsExactly(1L, 0L, 0L);
    }

    @Test
    @DisplayName("[SECURITY 8.2.2] the analytics of another organization's key are 404, like a key that does not "
            + "exist")
    void forKeyWhenKeyOfAnotherOrganizationThenNotFound() {
        ApiKeyToken token = fixture.create().token();
        fixture.verify(token);
        ShowVerificationAnalytics.Range range = fixture.showAnalytics.range(Optional.empty(), Optional.empty(),
                Optional.empty());

        assertThatThrownBy(() -> fixture.showAnalytics.forKey(fixture.otherOrganizationOwner(), token.keyId(), range))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> assertThat(e.code().name())
                        .isEqualTo("NOT_FOUND"));
        assertThat(fixture.showAnalytics.forOrganization(fixture.otherOrganizationOwner(), range).totals().total())
                .isZero();
        assertThat(fixture.showAnalytics.forKey(fixture.asKey(List.of(Permissions.API_KEY_READ)), token.keyId(),
                range).totals().total()).isEqualTo(1);
    }

    @Test
    @DisplayName("ranges: days as yyyy-MM-dd, from ≤ to ≤ today, within the 90 days kept; a known outcome")
    void rangeWhenOutOfBoundsThenValidationError() {
        ShowVerificationAnalytics show = fixture.showAnalytics;
        assertThat(show.range(Optional.empty(), Optional.empty(), Optional.empty()).from())
                .isEqualTo(today.minusDays(29));
        assertThat(show.range(Optional.of(today.minusDays(89).toString()), Optional.empty(), Optional.empty())
                .from()).isEqualTo(today.minusDays(89));
        for (String[] bad : new String[][] {{today.minusDays(90).toString(), null, null, "from"},
                {null, today.plusDays(1).toString(), null, "to"}, {today.toString(), today.minusDays(1).toString(),
                null, "from"}, {"2026-3-1", null, null, "from"}, {null, "yesterday", null, "to"},
                {null, null, "not_found", "outcome"}}) {
            assertThatThrownBy(() -> show.range(Optional.ofNullable(bad[0]), Optional.ofNullable(bad[1]),
                    Optional.ofNullable(bad[2]))).isInstanceOfSatisfying(ApiKeyException.class,
                            e -> assertThat(e.details()).containsEntry("field", bad[3]));
        }
    }
}
