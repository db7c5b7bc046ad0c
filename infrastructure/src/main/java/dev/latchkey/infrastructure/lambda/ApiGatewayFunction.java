package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.http.ErrorResponses;
import dev.latchkey.core.http.HttpApplication;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.logging.JsonLogLayout;
import dev.latchkey.infrastructure.metrics.Metrics;
import dev.latchkey.infrastructure.metrics.RequestMeter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The function bean of every Latchkey function: API Gateway event in, API Gateway response out,
 * the core {@link HttpApplication} in between, and one JSON log line per request (request id,
 * route, status, latency) that never holds a header value, query, body or path parameter, and the request's
 * metrics ({@link RequestMeter}: requests and latency by route and status class, 429s, API-key verification results).
 */
public final class ApiGatewayFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private static final Logger REQUEST_LOG = LoggerFactory.getLogger("latchkey.request");

    /** Told to a request that went around the edge; says nothing about how the edge is recognised. */
    static final String EDGE_REQUIRED_MESSAGE = "Requests must come through the service's public address.";

    private final String name;
    private final HttpApplication application;
    private final EdgeOrigin edge;
    private final RequestMeter meter;

    /**
     * A function without the edge ({@link EdgeOrigin#off()}).
     *
     * @param name the function's name, for the log line
     * @param application the function's routes and pipeline
     */
    public ApiGatewayFunction(String name, HttpApplication application) {
        this(name, application, EdgeOrigin.off());
    }

    /**
     * @param name the function's name, for the log line
     * @param application the function's routes and pipeline
     * @param edge the CloudFront edge in front of the API, if any: requests that did not come through it are
     *     refused (403 {@code PERMISSION_DENIED}, {@code details.reason} {@code EDGE_REQUIRED}) before any route
     */
    public ApiGatewayFunction(String name, HttpApplication application, EdgeOrigin edge) {
        this(name, application, edge, Metrics.NONE);
    }

    /**
     * @param name the function's name, for the log line and the metrics
     * @param application the function's routes and pipeline
     * @param edge the CloudFront edge in front of the API, if any ({@link EdgeOrigin#off()} for none)
     * @param metrics where each request's metrics go
     */
    public ApiGatewayFunction(String name, HttpApplication application, EdgeOrigin edge, Metrics metrics) {
        this.name = name;
        this.application = application;
        this.edge = edge;
        this.meter = new RequestMeter(metrics);
    }

    /** The function's name. */
    public String name() {
        return name;
    }

    /** The CloudFront edge this function admits requests from ({@link EdgeOrigin#off()} without one). */
    public EdgeOrigin edge() {
        return edge;
    }

    /** The core application behind this function. */
    public HttpApplication application() {
        return application;
    }

    @Override
    public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
        String requestId = event.getRequestContext() == null || event.getRequestContext().getRequestId() == null
                ? "" : event.getRequestContext().getRequestId();
        // Every log line of this request names it (JsonLogLayout); removed after, the thread serves others.
        MDC.put(JsonLogLayout.FUNCTION, name);
        MDC.put(JsonLogLayout.REQUEST_ID, requestId);
        MDC.put(JsonLogLayout.TRACE_ID, traceId(event));
        try {
            return serve(event, requestId);
        } finally {
            MDC.remove(JsonLogLayout.FUNCTION);
            MDC.remove(JsonLogLayout.REQUEST_ID);
            MDC.remove(JsonLogLayout.TRACE_ID);
        }
    }

    /**
     * The X-Ray trace id: the {@code Root=} of the request's {@code X-Amzn-Trace-Id} (API Gateway adds it), else of
     * the Lambda runtime's {@code com.amazonaws.xray.traceHeader}; empty without either.
     */
    static String traceId(APIGatewayV2HTTPEvent event) {
        String header = null;
        if (event.getHeaders() != null) {
            for (Map.Entry<String, String> h : event.getHeaders().entrySet()) {
                if (h.getKey() != null && h.getKey().equalsIgnoreCase("x-amzn-trace-id")) {
                    header = h.getValue();
                }
            }
        }
        if (header == null) {
            header = System.getProperty("com.amazonaws.xray.traceHeader");
        }
        if (header == null) {
            return "";
        }
        for (String part : header.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("Root=") && trimmed.length() <= 64
                    && trimmed.substring(5).matches("[0-9a-fA-F-]+")) {
                return trimmed.substring(5);
            }
        }
        return "";
    }

    private APIGatewayV2HTTPResponse serve(APIGatewayV2HTTPEvent event, String requestId) {
        long start = System.nanoTime();
        Optional<HttpRequest> admitted = ApiGatewayEvents.toRequest(event, edge);
        HttpResponse response = admitted.map(application::handle).orElseGet(() -> ErrorResponses.body(
                ErrorCode.PERMISSION_DENIED, EDGE_REQUIRED_MESSAGE, Map.of("reason", "EDGE_REQUIRED"), requestId));
        double latency = (System.nanoTime() - start) / 1_000_000.0;
        String route = event.getRouteKey() == null ? "" : event.getRouteKey();
        meter.answered(name, route, response, latency);
        if (REQUEST_LOG.isInfoEnabled()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("type", "request");
            line.put("function", name);
            line.put("request_id", requestId);
            line.put("route", route);
            line.put("method", admitted.map(HttpRequest::method).orElse(""));
            line.put("status", response.status());
            if (admitted.isEmpty()) {
                line.put("refused", "EDGE_REQUIRED");
            }
            line.put("latency_ms", latency);
            REQUEST_LOG.info(new String(Json.write(line), java.nio.charset.StandardCharsets.UTF_8));
        }
        return ApiGatewayEvents.toResponse(response);
    }
}
