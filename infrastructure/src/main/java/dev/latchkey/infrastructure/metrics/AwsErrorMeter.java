package dev.latchkey.infrastructure.metrics;

import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Counts an AWS client's failed calls — after the SDK's retries, one per call — on {@link Meter#DYNAMODB_ERRORS} or
 * {@link Meter#KEY_VAULT_ERRORS}: {@code throttled} when the service throttled (a transaction cancelled for a
 * {@code ThrottlingError} included), else {@code failed} (a 5xx, a timeout, no connection, access denied, a disabled
 * key). Answers that are part of normal work are not errors and are not counted: a condition that did not hold
 * ({@code ConditionalCheckFailedException}, a transaction cancelled by its conditions) and a transaction conflict
 * (retried by the adapters). One interceptor on each client, so no adapter carries metric code.
 */
public final class AwsErrorMeter implements ExecutionInterceptor {

    /** Error codes of the normal course of work (optimistic writes), never counted. */
    static final Set<String> EXPECTED = Set.of("ConditionalCheckFailedException", "TransactionConflictException",
            "ResourceInUseException");

    private final Metrics metrics;
    private final Meter meter;

    /**
     * @param metrics where the counts go
     * @param meter {@link Meter#DYNAMODB_ERRORS} or {@link Meter#KEY_VAULT_ERRORS}
     */
    public AwsErrorMeter(Metrics metrics, Meter meter) {
        this.metrics = metrics;
        this.meter = meter;
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes executionAttributes) {
        kind(context.exception()).ifPresent(kind -> metrics.count(meter, Map.of(Dimension.KIND, kind)));
    }

    /** {@code throttled}, {@code failed}, or empty for an answer of the normal course of work. */
    static java.util.Optional<String> kind(Throwable failure) {
        if (failure instanceof TransactionCanceledException cancelled) {
            boolean throttled = cancelled.hasCancellationReasons() && cancelled.cancellationReasons().stream()
                    .anyMatch(reason -> "ThrottlingError".equals(reason.code()));
            return throttled ? java.util.Optional.of("throttled") : java.util.Optional.empty();
        }
        if (failure instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return java.util.Optional.of("throttled");
            }
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if (code != null && EXPECTED.contains(code)) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of("failed");
    }
}
