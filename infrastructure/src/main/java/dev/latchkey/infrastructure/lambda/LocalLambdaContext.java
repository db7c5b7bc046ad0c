package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@link Context} Lambda hands every invocation, for invoking a function outside Lambda ({@link InvokeOnce}, the
 * function tests' harness): a fresh request id per invocation, the function's name, the memory and time limits
 * {@code template.yaml} gives, a deadline counted from the invocation, and a logger that writes to standard error.
 * Lambda never invokes with a {@code null} context, so neither do these (and {@code FunctionInvoker} warns on every
 * such call).
 */
public final class LocalLambdaContext implements Context {

    /** {@code template.yaml}'s {@code Timeout} of every function, in seconds. */
    static final int TIMEOUT_SECONDS = 15;

    /** {@code template.yaml}'s {@code MemorySize} of most functions (register and login have 1769). */
    static final int MEMORY_MB = 1024;

    /**
     * Unique per invocation, in Lambda's UUID form: the clock's nanoseconds and 64 random bits (no static counter,
     * which STYLE.md §6 forbids, and no SecureRandom to seed at a cold start).
     */
    private final String requestId = new UUID(System.nanoTime(), ThreadLocalRandom.current().nextLong()).toString();
    private final String functionName;
    private final long deadlineMillis = System.currentTimeMillis() + TIMEOUT_SECONDS * 1000L;
    private final LambdaLogger logger;

    private LocalLambdaContext(String functionName, PrintStream log) {
        this.functionName = functionName;
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                log.print(message);
            }

            @Override
            public void log(byte[] message) {
                log.print(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    /**
     * The context of one invocation.
     *
     * @param functionName the function's name ({@code SPRING_CLOUD_FUNCTION_DEFINITION})
     */
    public static LocalLambdaContext invocation(String functionName) {
        return new LocalLambdaContext(functionName, System.err);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:000000000000:function:" + functionName;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
