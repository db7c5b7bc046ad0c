package dev.latchkey.cli;

import dev.latchkey.core.config.LatchkeyConfig;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import dev.latchkey.infrastructure.testing.LambdaHarness;
import dev.latchkey.infrastructure.wiring.CompositionRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs the CLI through picocli's own {@link CommandLine#execute} with captured output, against a table of its own
 * on the emulator, and gives a test a composition root over the same table to check what the CLI did through core's
 * use cases (login, key verification…).
 */
final class CliHarness {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The outcome of one command line. */
    record Run(int exitCode, String out, String err) {

        /** Standard output as a JSON object. */
        Map<String, Object> json() {
            @SuppressWarnings("unchecked")
            Map<String, Object> value = JSON.readValue(out, Map.class);
            return value;
        }
    }

    /** A fresh, empty table on the emulator, and the variables naming it. */
    static Map<String, String> freshTable(EmulatedTable emulator) {
        String name = "latchkey-cli-" + TABLES.incrementAndGet();
        LatchkeyTable.ensureExists(emulator.client(), name);
        Map<String, String> environment = new HashMap<>(LambdaHarness.localVariables(emulator));
        environment.put("LATCHKEY_TABLE_NAME", name);
        return environment;
    }

    static Run run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = LatchkeyCli.commandLine(environment);
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A runtime over the same table as the CLI's; close it. */
    static LatchkeyRuntime runtime(Map<String, String> environment) {
        return LatchkeyRuntime.create(LatchkeyConfig.fromEnvironment(environment, "test"), environment);
    }

    static CompositionRoot root(LatchkeyRuntime runtime) {
        return new CompositionRoot(runtime);
    }

    private CliHarness() {
    }
}
