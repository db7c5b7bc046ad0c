package dev.latchkey.infrastructure.testing;

import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * API Gateway HTTP API (payload 2.0) events built the way API Gateway builds them: the route key and path
 * parameters of the route {@link ApiCatalog#match} picks ({@code $default} when none), lower-cased headers, a JSON
 * body with its content type, and a source IP.
 */
public final class HttpEvents {

    /** The source IP of every event. */
    public static final String SOURCE_IP = "198.51.100.70";

    private static final AtomicInteger REQUESTS = new AtomicInteger();

    private HttpEvents() {
    }

    /**
     * One event.
     *
     * @param method the HTTP method
     * @param path the raw path
     * @param query the raw query string, {@code ""} for none
     * @param headers extra headers (lower-case names), such as {@code authorization}
     * @param body a JSON string, an object to serialize, or {@code null}
     */
    public static String event(String method, String path, String query, Map<String, String> headers, Object body) {
        ObjectNode event = Json.mapper().createObjectNode();
        var match = ApiCatalog.match(method, path);
        String routeKey = match.map(m -> m.route().key()).orElse(ApiCatalog.DEFAULT_ROUTE_KEY);
        event.put("version", "2.0").put("routeKey", routeKey).put("rawPath", path).put("rawQueryString", query);
        ObjectNode eventHeaders = event.putObject("headers");
        eventHeaders.put("accept", "application/json").put("host", "abc123.execute-api.eu-west-1.amazonaws.com");
        headers.forEach(eventHeaders::put);
        if (body != null) {
            String json = body instanceof String text ? text : new String(Json.write(body), StandardCharsets.UTF_8);
            eventHeaders.put("content-type", "application/json");
            eventHeaders.put("content-length", Integer.toString(json.getBytes(StandardCharsets.UTF_8).length));
            event.put("body", json);
        }
        if (!query.isEmpty()) {
            ObjectNode parameters = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                String value = equals < 0 ? "" : pair.substring(equals + 1);
                parameters.put(java.net.URLDecoder.decode(name, StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("requestId", "test-" + REQUESTS.incrementAndGet()).put("routeKey", routeKey)
                .put("stage", "$default");
        context.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", SOURCE_IP);
        match.filter(m -> !m.pathParameters().isEmpty()).ifPresent(m -> {
            ObjectNode parameters = event.putObject("pathParameters");
            m.pathParameters().forEach(parameters::put);
        });
        event.put("isBase64Encoded", false);
        return event.toString();
    }

    /** {@code Authorization: Bearer <token>}. */
    public static Map<String, String> bearer(String token) {
        return Map.of("authorization", "Bearer " + token);
    }

    /** {@code X-API-Key: <key>}. */
    public static Map<String, String> apiKey(String key) {
        return Map.of("x-api-key", key);
    }
}
