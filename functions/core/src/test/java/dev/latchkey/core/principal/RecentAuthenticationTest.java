package dev.latchkey.core.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.http.ErrorResponses;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** RFC 9470 step-up: {@code auth_time} within a window, else 401 {@code insufficient_user_authentication}. */
class RecentAuthenticationTest {

    private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private final MutableClock clock = new MutableClock(NOW);
    private final RecentAuthentication recent = new RecentAuthentication(clock);

    private static AuthenticatedUser authenticatedAt(Instant authTime) {
        return new AuthenticatedUser("usr_1", "ses_1", List.of("pwd"), Optional.of(authTime));
    }

    @Test
    @DisplayName("RFC 9470: auth_time inside the window (and exactly at its edge) passes")
    void requireWhenAuthTimeWithinWindowThenPasses() {
        recent.require(authenticatedAt(NOW.minusSeconds(10)), FIVE_MINUTES);
        recent.require(authenticatedAt(NOW.minus(FIVE_MINUTES)), FIVE_MINUTES);

        assertThat(recent.isRecent(authenticatedAt(NOW.minus(FIVE_MINUTES)), FIVE_MINUTES)).isTrue();
    }

    @Test
    @DisplayName("RFC 9470 §3: auth_time older than the window fails with max_age in the challenge")
    void requireWhenAuthTimeTooOldThenStepUpRequired() {
        AuthenticatedUser caller = authenticatedAt(NOW.minus(FIVE_MINUTES).minusSeconds(1));

        assertThatThrownBy(() -> recent.require(caller, FIVE_MINUTES))
                .isInstanceOfSatisfying(StepUpRequiredException.class, e -> {
                    assertThat(e.maxAgeSeconds()).isEqualTo(300);
                    assertThat(e.code().status()).isEqualTo(401);
                    assertThat(e.headers()).containsEntry("www-authenticate",
                            "Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent "
                                    + "authentication is required.\", max_age=\"300\"");
                });
    }

    @Test
    @DisplayName("RFC 9470: a token without auth_time never counts as recent")
    void requireWhenNoAuthTimeThenStepUpRequired() {
        AuthenticatedUser caller = new AuthenticatedUser("usr_1", "ses_1");

        assertThat(recent.isRecent(caller, Duration.ofDays(365))).isFalse();
        assertThatThrownBy(() -> recent.require(caller, FIVE_MINUTES)).isInstanceOf(StepUpRequiredException.class);
    }

    @Test
    @DisplayName("RFC 9470 §3: the clock moving past the window turns a passing caller into a step-up")
    void requireWhenClockPassesWindowThenStepUpRequired() {
        AuthenticatedUser caller = authenticatedAt(NOW);
        recent.require(caller, FIVE_MINUTES);

        clock.advance(FIVE_MINUTES.plusSeconds(1));

        assertThat(recent.isRecent(caller, FIVE_MINUTES)).isFalse();
    }

    @Test
    @DisplayName("RFC 9470 §3: acr_values are named in the challenge and the details")
    void requireWhenAcrValuesThenInChallenge() {
        AuthenticatedUser caller = authenticatedAt(NOW.minus(Duration.ofHours(1)));

        assertThatThrownBy(() -> recent.require(caller, Duration.ofSeconds(60), List.of("phr", "phrh")))
                .isInstanceOfSatisfying(StepUpRequiredException.class, e -> {
                    assertThat(e.acrValues()).containsExactly("phr", "phrh");
                    assertThat(e.details()).containsEntry("acr_values", "phr phrh");
                    assertThat(e.headers().get("www-authenticate"))
                            .contains(", acr_values=\"phr phrh\"").endsWith(", max_age=\"60\"");
                });
    }

    @Test
    @DisplayName("RFC 9470 §3: the error mapper answers 401, the challenge header and the standard error body")
    void errorResponseWhenStepUpRequiredThenChallengeAndStandardBody() {
        HttpResponse response = ErrorResponses.of(new StepUpRequiredException(FIVE_MINUTES, List.of()), "req-1");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.headers().get("www-authenticate"))
                .startsWith("Bearer error=\"insufficient_user_authentication\", error_description=\"")
                .endsWith("max_age=\"300\"");
        JsonNode error = Json.mapper().readTree(response.bodyText()).get("error");
        assertThat(error.get("code").asString()).isEqualTo("AUTHENTICATION_FAILED");
        assertThat(error.get("details").get("reason").asString()).isEqualTo(StepUpRequiredException.REASON);
        assertThat(error.get("details").get("max_age").asLong()).isEqualTo(300);
        assertThat(error.get("request_id").asString()).isEqualTo("req-1");
    }

    @Test
    @DisplayName("A negative window or an acr value that would break the header is a programming error")
    void requireWhenBadArgumentsThenIllegalArgument() {
        AuthenticatedUser caller = authenticatedAt(NOW);

        assertThatIllegalArgumentException().isThrownBy(() -> recent.require(caller, Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new StepUpRequiredException(FIVE_MINUTES, List.of("a\" b")));
    }
}
