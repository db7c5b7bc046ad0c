package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function bean of every Latchkey function: API Gateway event in, API Gateway response out,
 * the core {@link HttpApplication} in between, and one JSON log line per request (request id,
 * route, status, latency) that never holds a header value, query, body or path parameter.
 */
public final class ApiGatewayFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger REQUEST_LOG = LoggerFactory.getLogger("latchkey.request");

    private final String name;
    private final HttpApplication application;

    /**
     * @param name the function's name, for the log line
     * @param application the function's routes and pipeline
     */
    public ApiGatewayFunction(String name, HttpApplication application) {
        this.name = name;
        this.application = application;
    }

    /** The function's name. */
    public String name() {
        return name;
    }

    /** The core application behind this function. */
    public HttpApplication application() {
        return application;
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        long start = System.nanoTime();
        HttpRequest request = ApiGatewayEvents.toRequest(event);
        HttpResponse response = application.handle(request);
        if (REQUEST_LOG.isInfoEnabled()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "request");
            line.put("function", name);
            line.put("request_id", request.requestId());
            line.put("route", event.getRouteKey() == null ? "" : event.getRouteKey());
            line.put("method", request.method());
            line.put("status", response.status());
            line.put("latency_ms", (System.nanoTime() - start) / 1_000_000.0);
            REQUEST_LOG.info(new String(Json.write(line), java.nio.charset.StandardCharsets.UTF_8));
        }
        return ApiGatewayEvents.toResponse(response);
    }
}
