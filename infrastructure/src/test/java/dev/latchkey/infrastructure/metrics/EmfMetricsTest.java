package dev.latchkey.infrastructure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import tools.jackson.databind.JsonNode;

/** The EMF writer's document, the request meter, and which AWS failures count as errors. */
class EmfMetricsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void requestWhenRecordedThenOneEmfDocumentWithRollupsAndValues() {
        List<String> lines = new ArrayList<>();
        Metrics metrics = new BoundedMetrics(new EmfMetrics("Latchkey/test", CLOCK, lines::add), "");
        new RequestMeter(metrics).answered("login", "POST /v1/auth/login/password",
                HttpResponse.json(401, "{}".getBytes()), 12.5);

        assertThat(lines).hasSize(1);
        JsonNode line = Json.mapper().readTree(lines.get(0));
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
        assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(CLOCK.millis());
        assertThat(directive.path("Namespace").asString()).isEqualTo("Latchkey/test");
        assertThat(directive.path("Dimensions").toString()).isEqualTo(
                "[[\"Function\",\"Route\",\"StatusClass\"],[\"Function\",\"StatusClass\"],[\"StatusClass\"],[]]");
        assertThat(directive.path("Metrics").toString()).contains("{\"Name\":\"Requests\",\"Unit\":\"Count\"}")
                .contains("{\"Name\":\"Latency\",\"Unit\":\"Milliseconds\"}");
        assertThat(line.path("Function").asString()).isEqualTo("login");
        assertThat(line.path("Route").asString()).isEqualTo("POST /v1/auth/login/password");
        assertThat(line.path("StatusClass").asString()).isEqualTo("4xx");
        assertThat(line.path("Requests").asDouble()).isEqualTo(1.0);
        assertThat(line.path("Latency").asDouble()).isEqualTo(12.5);
    }

    @Test
    void tooManyRequestsWhenAnsweredThenRateLimitRejectionCounted() {
        List<String> lines = new ArrayList<>();
        Metrics metrics = new BoundedMetrics(new EmfMetrics("Latchkey", CLOCK, lines::add), "");
        new RequestMeter(metrics).answered("register", "POST /v1/auth/register",
                HttpResponse.json(429, "{}".getBytes()), 3);

        assertThat(lines).hasSize(2);
        JsonNode rejection = Json.mapper().readTree(lines.get(1));
        assertThat(rejection.path("RateLimitRejections").asDouble()).isEqualTo(1.0);
        assertThat(rejection.path("Route").asString()).isEqualTo("POST /v1/auth/register");
    }

    @Test
    void verifyAnswerWhenReadThenResultFromClosedSet() {
        assertThat(RequestMeter.verification(HttpResponse.json(200,
                "{\"valid\":true,\"key_id\":\"key_1\",\"meta\":{\"code\":\"X\"}}".getBytes()))).isEqualTo("valid");
        assertThat(RequestMeter.verification(HttpResponse.json(200,
                "{\"valid\":false,\"code\":\"USAGE_EXCEEDED\",\"credits_remaining\":0}".getBytes())))
                .isEqualTo("usage_exceeded");
        assertThat(RequestMeter.verification(HttpResponse.json(400, "{}".getBytes()))).isEqualTo("invalid_request");
        assertThat(RequestMeter.verification(HttpResponse.json(503, "{}".getBytes()))).isEqualTo("error");
        assertThat(Dimension.RESULT.bounded(RequestMeter.verification(HttpResponse.json(200,
                "{\"valid\":false,\"code\":\"SOMETHING_NEW\"}".getBytes())))).isEqualTo(Dimension.OTHER);
    }

    @Test
    void awsFailureWhenClassifiedThenThrottlesAndErrorsCountedConditionsNot() {
        assertThat(AwsErrorMeter.kind(ProvisionedThroughputExceededException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                        .build()).statusCode(400).build())).contains("throttled");
        assertThat(AwsErrorMeter.kind(ConditionalCheckFailedException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ConditionalCheckFailedException").build())
                .statusCode(400).build())).isEmpty();
        assertThat(AwsErrorMeter.kind(TransactionCanceledException.builder()
                .cancellationReasons(CancellationReason.builder().code("ConditionalCheckFailed").build()).build()))
                .isEmpty();
        assertThat(AwsErrorMeter.kind(TransactionCanceledException.builder()
                .cancellationReasons(CancellationReason.builder().code("ThrottlingError").build()).build()))
                .contains("throttled");
        assertThat(AwsErrorMeter.kind(DynamoDbException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build()))
                .contains("failed");
        assertThat(AwsErrorMeter.kind(SdkClientException.create("connection refused"))).contains("failed");
    }

    @Test
    void sinkWhenItThrowsThenRequestIsNotFailed() {
        Metrics metrics = new BoundedMetrics((dimensions, values) -> {
            throw new IllegalStateException("disk full");
        }, "");
        metrics.count(Meter.LOGINS, Map.of(Dimension.METHOD, "password", Dimension.OUTCOME, "failed"));
        assertThat(Meter.LOGINS.dimensions()).contains(Dimension.OUTCOME);
    }
}
