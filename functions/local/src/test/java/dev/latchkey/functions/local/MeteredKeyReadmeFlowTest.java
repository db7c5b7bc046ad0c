package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.testing.Events;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's metered-key flow, verbatim (issue 21): the {@code sh} block after the {@code metered-flow} marker runs
 * in bash against the local server — credits counted down to {@code USAGE_EXCEEDED}, the named limit's headers, credits
 * bought, a named limit refusing without spending, owner data, an allow-list refusal and the day's analytics.
 */
class MeteredKeyReadmeFlowTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path workDir;

    /** The README's {@code sh} block that follows the {@code metered-flow} marker. */
    static String readmeBlock() throws Exception {
        String readme = Files.readString(Events.repositoryRoot().resolve("README.md"));
        int marker = readme.indexOf("<!-- metered-flow");
        assertThat(marker).as("the README's metered-flow marker").isPositive();
        int start = readme.indexOf("```sh\n", marker) + "```sh\n".length();
        int end = readme.indexOf("\n```", start);
        return readme.substring(start, end);
    }

    private static JsonNode json(String line) throws Exception {
        return Json.mapper().readTree(line);
    }

    @Test
    void readmeMeteredFlowWhenRunThenCreditsLimitsAllowListAndAnalyticsAnswerAsDocumented() throws Exception {
        try (LocalServer server = LocalServer.start(Map.of("LATCHKEY_PORT", "0",
                "LATCHKEY_DATA_DIR", dataDir.toString()))) {
            String base = server.url().toString().replaceAll("/$", "");
            Path script = workDir.resolve("metered-flow.sh");
            Files.writeString(script, "set -eu\n" + readmeBlock() + "\n");
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", script.toString())).directory(workDir.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("B", base);
            Process process = builder.start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the flow finished").isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isZero();
            List<String> lines = output.lines().map(String::strip).toList();
            assertThat(lines).as(output).hasSize(13);
            Map<String, String> headers = new java.util.HashMap<>();
            for (String header : lines.subList(0, 3)) {
                String[] pair = header.split(":", 2);
                headers.put(pair[0].strip().toLowerCase(Locale.ROOT), pair[1].strip());
            }
            assertThat(headers).as("the named limit's headers").containsEntry("ratelimit-limit", "50000")
                    .containsEntry("ratelimit-remaining", "48800").containsKey("ratelimit-reset");
            assertThat(Long.parseLong(headers.get("ratelimit-reset"))).isBetween(1L, 3600L);

            JsonNode spentTwo = json(lines.get(3));
            assertThat(spentTwo.path("valid").asBoolean()).as(lines.get(3)).isTrue();
            assertThat(spentTwo.path("credits_remaining").asLong()).isEqualTo(1);
            assertThat(spentTwo.path("rate_limit").path("remaining").asInt()).isEqualTo(48_800);
            JsonNode last = json(lines.get(4));
            assertThat(last.path("valid").asBoolean()).as(lines.get(4)).isTrue();
            assertThat(last.path("credits_remaining").asLong()).isZero();
            JsonNode exceeded = json(lines.get(5));
            assertThat(exceeded.path("valid").asBoolean()).as(lines.get(5)).isFalse();
            assertThat(exceeded.path("code").asText()).isEqualTo("USAGE_EXCEEDED");
            assertThat(exceeded.path("credits_remaining").asLong()).isZero();

            assertThat(json(lines.get(6)).path("credits").path("remaining").asLong()).as(lines.get(6))
                    .isEqualTo(500);
            assertThat(json(lines.get(7)).path("credits_remaining").asLong()).as(lines.get(7)).isEqualTo(499);
            JsonNode limited = json(lines.get(8));
            assertThat(limited.path("valid").asBoolean()).as(lines.get(8)).isFalse();
            assertThat(limited.path("code").asText()).isEqualTo("RATE_LIMITED");

            JsonNode tagged = json(lines.get(9));
            assertThat(tagged.path("external_id").asText()).as(lines.get(9)).isEqualTo("cust_42");
            assertThat(tagged.path("credits").path("remaining").asLong()).as("the refused verify spent nothing")
                    .isEqualTo(499);
            JsonNode outside = json(lines.get(10));
            assertThat(outside.path("valid").asBoolean()).as(lines.get(10)).isFalse();
            assertThat(outside.path("code").asText()).isEqualTo("IP_NOT_ALLOWED");

            JsonNode keyDays = json(lines.get(11)).path("totals");
            assertThat(keyDays.path("valid").asLong()).as(lines.get(11)).isEqualTo(3);
            assertThat(keyDays.path("usage_exceeded").asLong()).isEqualTo(1);
            assertThat(keyDays.path("rate_limited").asLong()).isEqualTo(1);
            assertThat(json(lines.get(12)).path("totals").path("rate_limited").asLong()).as(lines.get(12))
                    .isEqualTo(1);
        }
    }
}
