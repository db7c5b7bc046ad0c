package dev.latchkey.infrastructure.lambda;

import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * Invokes a function once through {@link FunctionInvoker}, as Lambda does, with an event file —
 * without SAM or Docker — and reports the cold start (JVM start to first response). Configured by
 * the same variables as in Lambda ({@code MAIN_CLASS}, {@code SPRING_CLOUD_FUNCTION_DEFINITION},
 * {@code LATCHKEY_*}). See docs/performance.md.
 *
 * <pre>java -cp 'unzipped:unzipped/lib/*' dev.latchkey.infrastructure.lambda.InvokeOnce event.json</pre>
 *
 * <p>With {@code --create-table} instead of an event file it only creates the table (for a fresh
 * emulator) and exits.
 */
public final class InvokeOnce {

    private InvokeOnce() {
    }

    /** Runs it; the response goes to stdout, the timing to stderr. */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (args.length != 1) {
            err.println("usage: InvokeOnce <event.json> | --create-table");
            System.exit(2);
        }
        if (args[0].equals("--create-table")) {
            var environment = LatchkeyRuntime.environment();
            LatchkeyConfig config = LatchkeyConfig.fromEnvironment(environment, LatchkeyRuntime.buildVersion());
            try (LatchkeyRuntime runtime = LatchkeyRuntime.create(config, environment)) {
                LatchkeyTable.ensureExists(runtime.dynamoDb(), config.tableName());
            }
            return;
        }
        byte[] event = Files.readAllBytes(Path.of(args[0]));
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        String function = System.getenv().getOrDefault("SPRING_CLOUD_FUNCTION_DEFINITION", "function");
        long initStart = System.currentTimeMillis();
        FunctionInvoker invoker = new FunctionInvoker();
        long initDone = System.currentTimeMillis();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        invoker.handleRequest(new java.io.ByteArrayInputStream(event), response,
                LocalLambdaContext.invocation(function));
        long firstResponse = System.currentTimeMillis();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        long warmStart = System.nanoTime();
        invoker.handleRequest(new java.io.ByteArrayInputStream(event), second, LocalLambdaContext.invocation(function));
        long warm = System.nanoTime() - warmStart;
        out.println(response.toString(StandardCharsets.UTF_8));
        err.printf("cold_start_ms=%d jvm_to_main_ms=%d init_ms=%d first_invoke_ms=%d warm_invoke_ms=%.2f%n",
                firstResponse - jvmStart, initStart - jvmStart, initDone - initStart, firstResponse - initDone,
                warm / 1e6);
    }
}
