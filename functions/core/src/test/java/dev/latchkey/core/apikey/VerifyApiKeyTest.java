package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimitedException;
import dev.latchkey.core.store.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link VerifyApiKey}: every answer, the reads it costs, the cache's bounds and {@code authenticate}. */
class VerifyApiKeyTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    @Test
    @DisplayName("a valid key verifies with its stored key and no rate-limit decision when it has no limit")
    void verifyWhenValidThenValid() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models", "api_key:read"));

        Verification verification = f.verify(created.token());

        assertThat(verification.valid()).isTrue();
        assertThat(verification.failure()).isEmpty();
        assertThat(verification.key()).contains(created.key());
        assertThat(verification.rateLimit()).isEmpty();
    }

    @Test
    @DisplayName("a well-formed key of an id nobody stored is NOT_FOUND after one read")
    void verifyWhenUnknownIdThenNotFound() {
        f.create();
        Verification verification = f.verify(f.unknownKey());

        assertThat(verification.failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(verification.key()).isEmpty();
        assertThat(f.repository.finds()).isEqualTo(1);
    }

    @Test
    @DisplayName("a wrong secret for a real key id is NOT_FOUND, and tells nothing about the key")
    void verifyWhenWrongSecretWithRealIdThenNotFound() {
        CreatedApiKey created = f.create();
        ApiKeyToken forged = ApiKeyToken.generate(created.key().id(), f.random);

        Verification verification = f.verify(forged);

        assertThat(verification.failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(verification.key()).isEmpty();
        assertThat(verification.rateLimit()).isEmpty();
    }

    @Test
    @DisplayName("a revoked or expired key with a wrong secret is NOT_FOUND, never REVOKED or EXPIRED")
    void verifyWhenRevokedOrExpiredWithWrongSecretThenNotFoundNeverState() {
        CreatedApiKey revoked = f.create();
        CreatedApiKey expiring = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.manage.revoke(f.owner, revoked.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);
        f.clock.advance(Duration.ofDays(2));

        Verification ofRevoked = f.verify(ApiKeyToken.generate(revoked.key().id(), f.random));
        Verification ofExpired = f.verify(ApiKeyToken.generate(expiring.key().id(), f.random));

        assertThat(ofRevoked.failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(ofRevoked.key()).isEmpty();
        assertThat(ofExpired.failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(ofExpired.key()).isEmpty();
    }

    @Test
    @DisplayName("[SECURITY API keys] a revocation counts on the very next verify")
    void verifyWhenRevokedThenRevokedOnNextVerify() {
        CreatedApiKey created = f.create();
        assertThat(f.verify(created.token()).valid()).isTrue();

        f.manage.revoke(f.owner, created.key().id(), Optional.of("leaked in CI log"), ApiKeyFixture.ORIGIN);
        Verification verification = f.verify(created.token());

        assertThat(verification.failure()).contains(VerificationFailure.REVOKED);
        assertThat(verification.key().flatMap(ApiKey::revocation).map(Revocation::revokedBy)).contains(f.ownerId);
        assertThat(f.audit.events(ApiKeyAudit.REVOKED)).singleElement().satisfies(event -> {
            assertThat(event.organizationId()).contains(f.organizationId);
            assertThat(event.target().map(t -> t.type() + "/" + t.id())).contains("api_key/" + created.key().id());
            assertThat(event.details()).containsEntry("reason_given", "true");
        });
    }

    @Test
    @DisplayName("[SECURITY API keys] a deletion counts on the very next verify: NOT_FOUND")
    void verifyWhenDeletedThenNotFound() {
        CreatedApiKey created = f.create();
        assertThat(f.verify(created.token()).valid()).isTrue();

        f.manage.delete(f.owner, created.key().id(), ApiKeyFixture.ORIGIN);
        Verification verification = f.verify(created.token());

        assertThat(verification.failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(verification.key()).isEmpty();
        assertThat(f.audit.events(ApiKeyAudit.DELETED)).hasSize(1);
    }

    @Test
    @DisplayName("[SECURITY API keys] expiry: valid 1 ms before expires_at, EXPIRED exactly at it and after")
    void verifyWhenAtExpiryThenExpiredAndOneMillisecondBeforeThenValid() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(30));
        Instant expiresAt = created.key().expiresAt().orElseThrow();
        assertThat(expiresAt).isEqualTo(ApiKeyFixture.T0.plus(Duration.ofDays(30)));

        f.clock.set(expiresAt.minusMillis(1));
        assertThat(f.verify(created.token()).valid()).isTrue();

        f.clock.set(expiresAt);
        Verification atExpiry = f.verify(created.token());
        assertThat(atExpiry.failure()).contains(VerificationFailure.EXPIRED);
        assertThat(atExpiry.key().map(ApiKey::id)).contains(created.key().id());

        f.clock.advance(Duration.ofDays(365));
        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.EXPIRED);
    }

    @Test
    @DisplayName("revocation wins over expiry")
    void verifyWhenRevokedAndExpiredThenRevoked() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);
        f.clock.advance(Duration.ofDays(2));

        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
    }

    @Test
    @DisplayName("a held permission verifies; a missing one is PERMISSION_DENIED with the key")
    void verifyWhenPermissionAbsentThenPermissionDenied() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models", "api_key:read"));

        assertThat(f.verify(created.token(), "read_models").valid()).isTrue();
        assertThat(f.verify(created.token(), "api_key:read").valid()).isTrue();
        Verification denied = f.verify(created.token(), "run_inference");
        assertThat(denied.failure()).contains(VerificationFailure.PERMISSION_DENIED);
        assertThat(denied.key().map(ApiKey::id)).contains(created.key().id());
        assertThat(f.verify(created.token(), "api_key:create").failure())
                .contains(VerificationFailure.PERMISSION_DENIED);
    }

    @Test
    @DisplayName("a permission is asked about only for a valid key: a revoked key stays REVOKED")
    void verifyWhenRevokedAndPermissionAbsentThenRevoked() {
        CreatedApiKey created = f.create();
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(f.verify(created.token(), "run_inference").failure()).contains(VerificationFailure.REVOKED);
    }

    @Test
    @DisplayName("a malformed permission is a VALIDATION_ERROR, checked before the key (no read)")
    void verifyWhenPermissionMalformedThenValidationError() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models"));
        for (String malformed : new String[] {"Read_models", "1read", "", "read models", "a".repeat(65), "_x"}) {
            assertThatThrownBy(() -> f.verify(created.token(), malformed))
                    .isInstanceOfSatisfying(ApiKeyException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.details()).containsEntry("field", "permission");
                    });
        }
        assertThat(f.repository.finds()).isZero();
    }

    @Test
    @DisplayName("rate limit: limit-th verify valid with 0 remaining, the next RATE_LIMITED, a new window resets")
    void verifyWhenOverRateLimitThenRateLimitedUntilNextWindow() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().rateLimit(3, 60));

        Verification first = f.verify(created.token());
        assertThat(first.rateLimit().map(RateLimitDecision::remaining)).contains(2);
        f.verify(created.token());
        f.clock.advance(Duration.ofSeconds(20));
        Verification third = f.verify(created.token());
        assertThat(third.valid()).isTrue();
        assertThat(third.rateLimit().map(RateLimitDecision::remaining)).contains(0);

        Verification fourth = f.verify(created.token());
        assertThat(fourth.failure()).contains(VerificationFailure.RATE_LIMITED);
        assertThat(fourth.key().map(ApiKey::id)).contains(created.key().id());
        RateLimitDecision decision = fourth.rateLimit().orElseThrow();
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.headers()).containsEntry("retry-after", "40")
                .containsEntry("ratelimit-limit", "3")
                .containsEntry("ratelimit-remaining", "0")
                .containsEntry("ratelimit-reset", "40")
                .containsEntry("x-ratelimit-limit", "3")
                .containsEntry("x-ratelimit-remaining", "0")
                .containsEntry("x-ratelimit-reset",
                        Long.toString(ApiKeyFixture.T0.plusSeconds(60).getEpochSecond()));

        f.clock.set(ApiKeyFixture.T0.plusSeconds(60).minusMillis(1));
        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.RATE_LIMITED);
        f.clock.set(ApiKeyFixture.T0.plusSeconds(60));
        Verification nextWindow = f.verify(created.token());
        assertThat(nextWindow.valid()).isTrue();
        assertThat(nextWindow.rateLimit().map(RateLimitDecision::remaining)).contains(2);
    }

    @Test
    @DisplayName("rate limits are per key: one key over its limit does not limit another")
    void verifyWhenOneKeyLimitedThenOtherKeyUnaffected() {
        CreatedApiKey busy = f.create(ApiKeyFixture.command().rateLimit(1, 60));
        CreatedApiKey quiet = f.create(ApiKeyFixture.command().rateLimit(1, 60));
        f.verify(busy.token());

        assertThat(f.verify(busy.token()).failure()).contains(VerificationFailure.RATE_LIMITED);
        assertThat(f.verify(quiet.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("a permission-denied or invalid verify does not spend the key's rate limit")
    void verifyWhenPermissionDeniedThenRateLimitNotSpent() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().rateLimit(1, 60));
        f.verify(created.token(), "run_inference");
        f.verify(ApiKeyToken.generate(created.key().id(), f.random));

        assertThat(f.verify(created.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("[SECURITY API keys] cache off (default): exactly one strongly consistent read per verify")
    void verifyWhenCacheDisabledThenOneFindPerVerify() {
        CreatedApiKey created = f.create();
        for (int i = 1; i <= 5; i++) {
            f.verify(created.token());
            assertThat(f.repository.finds()).isEqualTo(i);
        }
        f.verify(ApiKeyToken.generate(created.key().id(), f.random));
        f.verify(f.unknownKey());
        assertThat(f.repository.finds()).isEqualTo(7);
    }

    @Test
    @DisplayName("cache on and warm: no read until the TTL ends, then one")
    void verifyWhenCacheWarmThenNoFind() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(30));
        CreatedApiKey created = cached.create();
        cached.verify(created.token());
        assertThat(cached.repository.finds()).isEqualTo(1);

        for (int i = 0; i < 10; i++) {
            assertThat(cached.verify(created.token()).valid()).isTrue();
        }
        cached.clock.advance(Duration.ofSeconds(30).minusMillis(1));
        assertThat(cached.verify(created.token()).valid()).isTrue();
        assertThat(cached.repository.finds()).isEqualTo(1);

        cached.clock.advance(Duration.ofMillis(1));
        assertThat(cached.verify(created.token()).valid()).isTrue();
        assertThat(cached.repository.finds()).isEqualTo(2);
    }

    @Test
    @DisplayName("cache on: a wrong secret is still NOT_FOUND, expiry and rate limits still hold, without reads")
    void verifyWhenCacheWarmThenSecretExpiryAndRateLimitStillChecked() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(60));
        CreatedApiKey created = cached.create(ApiKeyFixture.command().expiresInDays(1).rateLimit(2, 86_400));
        Instant expiresAt = created.key().expiresAt().orElseThrow();
        cached.clock.set(expiresAt.minusSeconds(30));
        assertThat(cached.verify(created.token()).valid()).isTrue();

        assertThat(cached.verify(ApiKeyToken.generate(created.key().id(), cached.random)).failure())
                .contains(VerificationFailure.NOT_FOUND);
        assertThat(cached.verify(created.token()).valid()).isTrue();
        assertThat(cached.verify(created.token()).failure()).contains(VerificationFailure.RATE_LIMITED);
        cached.clock.set(expiresAt);
        assertThat(cached.verify(created.token()).failure()).contains(VerificationFailure.EXPIRED);
        assertThat(cached.repository.finds()).isEqualTo(1);
    }

    @Test
    @DisplayName("cache on: a revocation through this container's ManageApiKeys counts at once")
    void verifyWhenCachedAndRevokedBySameContainerThenRevokedAtOnce() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(60));
        CreatedApiKey created = cached.create();
        assertThat(cached.verify(created.token()).valid()).isTrue();

        cached.manage.revoke(cached.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(cached.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
    }

    @Test
    @DisplayName("cache on: a deletion or roll through this container counts at once")
    void verifyWhenCachedAndDeletedOrRolledBySameContainerThenSeenAtOnce() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(60));
        CreatedApiKey deleted = cached.create();
        CreatedApiKey rolled = cached.create();
        cached.verify(deleted.token());
        cached.verify(rolled.token());

        cached.manage.delete(cached.owner, deleted.key().id(), ApiKeyFixture.ORIGIN);
        CreatedApiKey next = cached.manage.roll(cached.owner, rolled.key().id(), Duration.ZERO, ApiKeyFixture.ORIGIN);

        assertThat(cached.verify(deleted.token()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(cached.verify(rolled.token()).failure()).contains(VerificationFailure.NOT_FOUND);
        assertThat(cached.verify(next.token()).valid()).isTrue();
    }

    @Test
    @DisplayName("cache on: a revocation through another container is seen only once the TTL ends")
    void verifyWhenCachedAndRevokedByOtherContainerThenSeenAfterTtl() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(20));
        CreatedApiKey created = cached.create();
        Instant warmedAt = cached.clock.instant();
        assertThat(cached.verify(created.token()).valid()).isTrue();

        cached.otherContainer().revoke(cached.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(cached.verify(created.token()).valid()).as("stale within the TTL").isTrue();
        cached.clock.set(warmedAt.plusSeconds(20).minusMillis(1));
        assertThat(cached.verify(created.token()).valid()).as("stale within the TTL").isTrue();
        cached.clock.set(warmedAt.plusSeconds(20));
        assertThat(cached.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
    }

    @Test
    @DisplayName("cache on: a revocation by this container that lands during a verify's read is still seen next")
    void verifyWhenRevokedBySameContainerDuringReadThenNextVerifyRevoked() {
        ApiKeyFixture cached = new ApiKeyFixture(Duration.ofSeconds(60));
        CreatedApiKey created = cached.create();
        cached.repository.afterNextFind(() -> cached.manage.revoke(cached.owner, created.key().id(), Optional.empty(),
                ApiKeyFixture.ORIGIN));

        assertThat(cached.verify(created.token()).valid()).as("read before the revocation").isTrue();

        assertThat(cached.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
    }

    @Test
    @DisplayName("cache off: a revocation through another container counts on the next verify")
    void verifyWhenCacheOffAndRevokedByOtherContainerThenRevokedAtOnce() {
        CreatedApiKey created = f.create();
        assertThat(f.verify(created.token()).valid()).isTrue();

        f.otherContainer().revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        assertThat(f.verify(created.token()).failure()).contains(VerificationFailure.REVOKED);
    }

    @Test
    @DisplayName("[16.5.3] the store failing fails the verify closed (no answer is guessed)")
    void verifyWhenStoreUnavailableThenThrows() {
        CreatedApiKey created = f.create();
        f.repository.fail();

        assertThatThrownBy(() -> f.verify(created.token())).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> f.verify.authenticate(created.token().value()))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    @DisplayName("the pepper is opened once per container, not per verify")
    void verifyWhenManyThenPepperOpenedOnce() {
        CreatedApiKey created = f.create();
        for (int i = 0; i < 20; i++) {
            f.verify(created.token());
        }
        assertThat(f.peppers.calls()).isEqualTo(1);
    }

    @Test
    @DisplayName("only valid verifies are counted as uses")
    void verifyWhenValidThenUseCountedAndInvalidNot() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models"));
        f.verify(created.token());
        f.verify(created.token(), "read_models");
        f.verify(created.token(), "run_inference");
        f.verify(ApiKeyToken.generate(created.key().id(), f.random));
        f.usage.flush();

        assertThat(f.stored(created.key().id()).useCount()).isEqualTo(2);
        assertThat(f.stored(created.key().id()).lastUsedAt()).contains(ApiKeyFixture.T0);
    }

    @Test
    @DisplayName("authenticate: a valid key is its caller, with its organization and permissions")
    void authenticateWhenValidThenApiKeyCaller() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().permissions("read_models", "api_key:read"));

        Caller.ApiKey caller = f.verify.authenticate(created.token().value());

        assertThat(caller.keyId()).isEqualTo(created.key().id());
        assertThat(caller.organizationId()).isEqualTo(f.organizationId);
        assertThat(caller.permissions()).containsExactlyInAnyOrder("read_models", "api_key:read");
    }

    @Test
    @DisplayName("authenticate: malformed, unknown, wrong, revoked and expired keys are one 401 that never says why")
    void authenticateWhenInvalidThen401() {
        CreatedApiKey revoked = f.create();
        CreatedApiKey expired = f.create(ApiKeyFixture.command().expiresInDays(1));
        f.manage.revoke(f.owner, revoked.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);
        f.clock.advance(Duration.ofDays(1));
        String[] invalid = {
            null, "", "lk_nope", f.unknownKey().value(), ApiKeyToken.generate(revoked.key().id(), f.random).value(),
            revoked.token().value(), expired.token().value(),
        };
        String firstMessage = null;
        for (int i = 0; i < invalid.length; i++) {
            String presented = invalid[i];
            Throwable thrown = catchThrowable(() -> f.verify.authenticate(presented));
            assertThat(thrown).as("case %d", i).isInstanceOf(AccessException.class);
            AccessException e = (AccessException) thrown;
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.code().status()).isEqualTo(401);
            assertThat(e.headers()).containsEntry("www-authenticate", "Bearer");
            assertThat(e.details()).isEmpty();
            firstMessage = firstMessage == null ? e.getMessage() : firstMessage;
            assertThat(e.getMessage()).isEqualTo(firstMessage);
        }
    }

    @Test
    @DisplayName("authenticate: a key over its limit is 429 with Retry-After and the rate-limit headers")
    void authenticateWhenRateLimitedThenRateLimitedException() {
        CreatedApiKey created = f.create(ApiKeyFixture.command().rateLimit(1, 60));
        f.verify.authenticate(created.token().value());

        assertThatThrownBy(() -> f.verify.authenticate(created.token().value()))
                .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.headers()).containsEntry("retry-after", "60")
                            .containsEntry("ratelimit-remaining", "0")
                            .containsKeys("ratelimit-limit", "ratelimit-reset", "x-ratelimit-limit",
                                    "x-ratelimit-remaining", "x-ratelimit-reset");
                    assertThat(e.details()).isEqualTo(Map.of("retry_after_seconds", 60L));
                });
    }

    @Test
    @DisplayName("[16.2.5] no verify error message or detail holds the presented key")
    void verifyWhenErrorsThenNoKeyInMessages() {
        CreatedApiKey created = f.create();
        String value = created.token().value();
        f.manage.revoke(f.owner, created.key().id(), Optional.empty(), ApiKeyFixture.ORIGIN);

        Throwable thrown = catchThrowable(() -> f.verify.authenticate(value));
        LatchkeyException e = (LatchkeyException) thrown;
        assertThat(String.valueOf(e.getMessage()).contains(value)).isFalse();
        assertThat(e.details().toString().contains(value)).isFalse();
        assertThat(f.verify(created.token()).toString().contains(value.substring(29, 61))).isFalse();
    }
}
