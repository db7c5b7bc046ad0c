package dev.latchkey.functions.token;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;

/**
 * Counts every DynamoDB request of this test JVM by operation, the functions' own clients included: the SDK loads
 * it for every client from {@code software/amazon/awssdk/global/handlers/execution.interceptors} on the test class
 * path. Only counts; changes nothing.
 */
public final class CountingDynamoDbInterceptor implements ExecutionInterceptor {

    private static final Map<String, AtomicInteger> REQUESTS = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof DynamoDbRequest) {
            REQUESTS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    name -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Runs {@code call} and answers the DynamoDB requests made meanwhile, by operation. */
    static Map<String, Integer> requests(Runnable call) {
        REQUESTS.clear();
        call.run();
        Map<String, Integer> counts = new TreeMap<>();
        REQUESTS.forEach((operation, count) -> counts.put(operation, count.get()));
        return counts;
    }
}
