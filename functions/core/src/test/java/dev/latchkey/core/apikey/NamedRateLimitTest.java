package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.ratelimit.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Named rate limits (issue 21 §2): the default one, the one a verify names, its cost, and validation. */
class NamedRateLimitTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    private CreatedApiKey createWith(Optional<RateLimit> defaultLimit, NamedRateLimit... named) {
        return f.manage.create(f.owner, new CreateApiKeyCommand("llm", List.of(), Optional.empty(), Optional.empty(),
                defaultLimit, Optional.empty(), List.of(named)), ApiKeyFixture.ORIGIN);
    }

    private Verification verify(CreatedApiKey key, String limit, int cost) {
        return f.verify.verify(key.token().value(), Optional.empty(), new VerifyOptions(1, Optional.of(limit), cost));
    }

    @Test
    @DisplayName("a verify naming a limit counts its cost against that limit only; the default one stays whole")
    void verifyWhenNamedLimitThenOnlyItCountsWithItsCost() {
        CreatedApiKey key = createWith(Optional.of(RateLimit.perSeconds(3, 60)),
                new NamedRateLimit("tokens", RateLimit.perSeconds(1000, 60)));

        Verification spend = verify(key, "tokens", 700);
        Verification over = verify(key, "tokens", 301);
        Verification check = verify(key, "tokens", 0);
        Verification plain = f.verify(key.token());

        assertThat(spend.rateLimit().orElseThrow().remaining()).isEqualTo(300);
        assertThat(over.failure()).contains(VerificationFailure.RATE_LIMITED);
        assertThat(check.failure()).as("requests over the limit count too").contains(VerificationFailure.RATE_LIMITED);
        assertThat(plain.valid()).isTrue();
        assertThat(plain.rateLimit().orElseThrow().limit()).isEqualTo(3);
        assertThat(plain.rateLimit().orElseThrow().remaining()).isEqualTo(2);
    }

    @Test
    @DisplayName("'default' names the key's rate_limit; a new window frees the named limit")
    void verifyWhenDefaultNamedThenItIsRateLimit() {
        CreatedApiKey key = createWith(Optional.of(RateLimit.perSeconds(2, 60)),
                new NamedRateLimit("tokens", RateLimit.perSeconds(10, 60)));

        assertThat(verify(key, "default", 2).valid()).isTrue();
        assertThat(f.verify(key.token()).failure()).contains(VerificationFailure.RATE_LIMITED);
        assertThat(verify(key, "tokens", 10).valid()).isTrue();
        assertThat(verify(key, "tokens", 1).failure()).contains(VerificationFailure.RATE_LIMITED);
        f.clock.advance(Duration.ofSeconds(60));
        assertThat(verify(key, "tokens", 10).valid()).isTrue();
    }

    @Test
    @DisplayName("an unknown name is VALIDATION_ERROR rate_limit.name only after the secret matched")
    void verifyWhenUnknownNameThenValidationErrorForHolderOnly() {
        CreatedApiKey key = createWith(Optional.empty(), new NamedRateLimit("tokens", RateLimit.perSeconds(10, 60)));

        assertThatThrownBy(() -> verify(key, "images", 1)).isInstanceOf(ApiKeyException.class)
                .hasMessageContaining("no rate limit of that name");
        assertThatThrownBy(() -> verify(key, "default", 1)).isInstanceOf(ApiKeyException.class);
        assertThat(f.verify.verify(f.unknownKey().value(), Optional.empty(),
                new VerifyOptions(1, Optional.of("images"), 1)).failure()).contains(VerificationFailure.NOT_FOUND);
    }

    @Test
    @DisplayName("create: 'default' in rate_limits becomes rate_limit; duplicates, both forms, bad names and more "
            + "than 10 are refused")
    void createWhenInvalidNamedLimitsThenRefused() {
        RateLimit limit = RateLimit.perSeconds(5, 60);
        CreatedApiKey key = createWith(Optional.empty(), new NamedRateLimit("default", limit),
                new NamedRateLimit("tokens", limit));

        assertThat(f.stored(key.key().id()).rateLimit()).contains(limit);
        assertThat(f.stored(key.key().id()).rateLimits()).extracting(NamedRateLimit::name).containsExactly("tokens");
        assertThatThrownBy(() -> createWith(Optional.of(limit), new NamedRateLimit("default", limit)))
                .isInstanceOf(ApiKeyException.class);
        assertThatThrownBy(() -> createWith(Optional.empty(), new NamedRateLimit("a", limit),
                new NamedRateLimit("a", limit))).isInstanceOf(ApiKeyException.class);
        assertThatThrownBy(() -> new NamedRateLimit("Tokens", limit)).isInstanceOf(ApiKeyException.class);
        NamedRateLimit[] eleven = new NamedRateLimit[11];
        for (int i = 0; i < eleven.length; i++) {
            eleven[i] = new NamedRateLimit("l" + i, limit);
        }
        assertThatThrownBy(() -> createWith(Optional.empty(), eleven)).isInstanceOf(ApiKeyException.class)
                .hasMessageContaining("at most 10");
    }
}
