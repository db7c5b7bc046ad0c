package dev.latchkey.infrastructure.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LocalLambdaContextTest {

    @Test
    @DisplayName("each invocation gets its own request id in Lambda's UUID form, the function's name and ARN")
    void invocationWhenTwoThenDistinctRequestIdsAndNamedAfterTheFunction() {
        LocalLambdaContext first = LocalLambdaContext.invocation("jwks");
        LocalLambdaContext second = LocalLambdaContext.invocation("jwks");

        assertThat(first.getAwsRequestId()).isNotEqualTo(second.getAwsRequestId());
        assertThat(UUID.fromString(first.getAwsRequestId()).toString()).isEqualTo(first.getAwsRequestId());
        assertThat(first.getFunctionName()).isEqualTo("jwks");
        assertThat(first.getInvokedFunctionArn()).endsWith(":function:jwks");
        assertThat(first.getLogGroupName()).isEqualTo("/aws/lambda/jwks");
    }

    @Test
    @DisplayName("the remaining time counts down from template.yaml's timeout; memory is template.yaml's")
    void remainingTimeWhenNewThenAtMostTheTimeoutAndPositive() {
        LocalLambdaContext context = LocalLambdaContext.invocation("token");

        assertThat(context.getRemainingTimeInMillis())
                .isPositive()
                .isLessThanOrEqualTo(LocalLambdaContext.TIMEOUT_SECONDS * 1000);
        assertThat(context.getMemoryLimitInMB()).isEqualTo(LocalLambdaContext.MEMORY_MB);
        assertThat(context.getLogger()).isNotNull();
    }
}
