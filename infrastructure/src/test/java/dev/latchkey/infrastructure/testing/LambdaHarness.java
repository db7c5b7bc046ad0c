package dev.latchkey.infrastructure.testing;

import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.lambda.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;

/**
 * Drives a function through the real Lambda entry point, {@link FunctionInvoker}, configured the
 * way {@code template.yaml} configures it ({@code MAIN_CLASS}, the function definition, the
 * {@code LATCHKEY_*} variables — as system properties, which both read) against an emulated table.
 */
public final class LambdaHarness {

    /** The issuer tests configure (the local server's default URL). */
    public static final String ISSUER = "http://localhost:3000";

    /** The local master key tests use (32 zero bytes), so tests can open what functions sealed. */
    public static final String MASTER_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final FunctionInvoker invoker;
    private final String definition;

    private LambdaHarness(FunctionInvoker invoker, String definition) {
        this.invoker = invoker;
        this.definition = definition;
    }

    /**
     * Starts the function.
     *
     * @param mainClass the function's {@code MAIN_CLASS}
     * @param definition its bean name
     * @param latchkeyVariables the {@code LATCHKEY_*} configuration
     */
    public static LambdaHarness start(String mainClass, String definition, Map<String, String> latchkeyVariables) {
        System.setProperty("MAIN_CLASS", mainClass);
        System.setProperty("spring.cloud.function.definition", definition);
        latchkeyVariables.forEach(System::setProperty);
        return new LambdaHarness(new FunctionInvoker(), definition);
    }

    /** The variables for a local key vault and the emulated table. */
    public static Map<String, String> localVariables(EmulatedTable table) {
        return Map.of(
                "LATCHKEY_TABLE_NAME", EmulatedTable.TABLE,
                "LATCHKEY_DYNAMODB_ENDPOINT", table.dynoxide().endpoint().toString(),
                "LATCHKEY_KEY_VAULT", "local",
                "LATCHKEY_MASTER_KEY", MASTER_KEY,
                "LATCHKEY_HEALTH_TIMEOUT_MS", "1000",
                "LATCHKEY_ISSUER", ISSUER);
    }

    /** Invokes with raw event JSON and a {@link LocalLambdaContext} (Lambda passes one), returns the raw response. */
    public String invokeRaw(String eventJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            invoker.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out,
                    LocalLambdaContext.invocation(definition));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Invokes and parses the API Gateway response. */
    public Response invoke(String eventJson) {
        JsonNode node = Json.mapper().readTree(invokeRaw(eventJson));
        return new Response(node);
    }

    /**
     * An API Gateway v2 response as Lambda returned it.
     *
     * @param json the response document
     */
    public record Response(JsonNode json) {
        /** The status code. */
        public int status() {
            return json.path("statusCode").asInt();
        }

        /** A response header (lower-case name), or null. */
        public String header(String name) {
            JsonNode value = json.path("headers").path(name);
            return value.isMissingNode() || value.isNull() ? null : value.asString();
        }

        /** The body as text (base64-decoded when flagged). */
        public String body() {
            String body = json.path("body").asString("");
            return json.path("isBase64Encoded").asBoolean(false)
                    ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
        }

        /** The body parsed as JSON. */
        public JsonNode bodyJson() {
            return Json.mapper().readTree(body());
        }

        /** The standard error body's {@code error.code}, {@code ""} when there is none. */
        public String errorCode() {
            return bodyJson().path("error").path("code").asString();
        }

        /** The standard error body's {@code error.details.reason}, {@code ""} when there is none. */
        public String errorReason() {
            return errorDetail("reason");
        }

        /** The standard error body's {@code error.details.field}, {@code ""} when there is none. */
        public String errorField() {
            return errorDetail("field");
        }

        /** One of the standard error body's {@code error.details}, {@code ""} when there is none. */
        public String errorDetail(String name) {
            return bodyJson().path("error").path("details").path(name).asString();
        }
    }
}
