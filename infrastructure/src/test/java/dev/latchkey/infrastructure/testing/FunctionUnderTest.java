package dev.latchkey.infrastructure.testing;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditPage;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One function started through its real Lambda entry point ({@code FunctionInvoker}) on its own emulated table,
 * with the local key vault and a data directory (the file outbox): the people who call it ({@link Accounts}, made
 * before the function starts, so it finds the signing key ring), requests built as API Gateway builds them
 * ({@link HttpEvents}), and the table's audit log.
 */
public final class FunctionUnderTest implements AutoCloseable {

    private final EmulatedTable table;
    private final Map<String, String> variables;
    private final Accounts accounts;
    private final LambdaHarness lambda;
    private final DynamoDbAuditLog auditLog;

    private FunctionUnderTest(String mainClass, String definition, Path dataDir) {
        this.table = EmulatedTable.start();
        this.accounts = Accounts.in(table);
        Map<String, String> local = new LinkedHashMap<>(LambdaHarness.localVariables(table));
        local.put("LATCHKEY_DATA_DIR", dataDir.toString());
        this.variables = Map.copyOf(local);
        this.lambda = LambdaHarness.start(mainClass, definition, local);
        this.auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, Clock.systemUTC());
    }

    /**
     * Starts a function on a new emulated table.
     *
     * @param mainClass the Spring Boot application class name
     * @param definition the function definition ({@code spring.cloud.function.definition})
     * @param dataDir the function's {@code LATCHKEY_DATA_DIR}
     */
    public static FunctionUnderTest start(String mainClass, String definition, Path dataDir) {
        return new FunctionUnderTest(mainClass, definition, dataDir);
    }

    /**
     * Invokes the function with the event API Gateway would send for this request.
     *
     * @see HttpEvents#event(String, String, String, Map, Object)
     */
    public LambdaHarness.Response invoke(String method, String path, String query, Map<String, String> headers,
            Object body) {
        return lambda.invoke(HttpEvents.event(method, path, query, headers, body));
    }

    /** Invokes the function with a raw API Gateway event. */
    public LambdaHarness.Response invoke(String eventJson) {
        return lambda.invoke(eventJson);
    }

    /** Every audit event of the organization, newest first, all pages. */
    public List<AuditEvent> auditEvents(String organizationId) {
        List<AuditEvent> all = new ArrayList<>();
        AuditQuery query = AuditQuery.builder().limit(100).build();
        while (true) {
            AuditPage page = auditLog.find(organizationId, query);
            all.addAll(page.events());
            if (page.nextCursor().isEmpty()) {
                return all;
            }
            query = query.continueAt(page.nextCursor().get());
        }
    }

    /** The people who call the function. */
    public Accounts accounts() {
        return accounts;
    }

    /** The function's table. */
    public EmulatedTable table() {
        return table;
    }

    /** The table's audit log. */
    public DynamoDbAuditLog auditLog() {
        return auditLog;
    }

    /** The {@code LATCHKEY_*} variables the function was started with. */
    public Map<String, String> variables() {
        return variables;
    }

    @Override
    public void close() {
        table.close();
    }
}
