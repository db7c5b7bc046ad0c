package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.core.http.Headers;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between API Gateway HTTP API payload 2.0 and Latchkey's HTTP model, both ways.
 *
 * <p>Requests: the method and raw path come from {@code requestContext.http} and {@code rawPath}
 * (Latchkey routes itself, so the {@code $default} route works too); the client address is
 * {@code requestContext.http.sourceIp}, never {@code X-Forwarded-For}; {@code cookies} go back into
 * one {@code cookie} header. Responses: text bodies are sent as is, anything else base64-encoded.
 */
public final class ApiGatewayEvents {

    private ApiGatewayEvents() {
    }

    /** The core request for an API Gateway event. */
    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        var http = context == null ? null : context.getHttp();
        String method = http != null && http.getMethod() != null ? http.getMethod().toUpperCase(Locale.ROOT) : "GET";
        String path = event.getRawPath() != null ? event.getRawPath() : http != null ? http.getPath() : "/";
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> headers.put(name, List.of(value == null ? "" : value)));
        }
        if (event.getCookies() != null && !event.getCookies().isEmpty()) {
            headers.put("cookie", List.of(String.join("; ", event.getCookies())));
        }
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? decodeBase64(event.getBody())
                : event.getBody().getBytes(StandardCharsets.UTF_8);
        return new HttpRequest(method, path, Map.of(), parseQuery(event.getRawQueryString()), Headers.of(headers),
                body, http == null ? "" : http.getSourceIp(), context == null ? "" : context.getRequestId());
    }

    /** The API Gateway response for a core response. */
    public static APIGatewayV2HTTPResponse toResponse(HttpResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        List<String> cookies = new ArrayList<>();
        String setCookie = headers.remove("set-cookie");
        if (setCookie != null) {
            cookies.add(setCookie);
        }
        String contentType = headers.getOrDefault("content-type", "");
        boolean text = isText(contentType);
        byte[] body = response.body();
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withBody(body.length == 0 ? "" : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
    }

    /** Whether a content type is sent as text rather than base64. */
    public static boolean isText(String contentType) {
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.startsWith("application/json") || type.contains("+json")
                || type.startsWith("application/x-www-form-urlencoded") || type.startsWith("application/javascript")
                || type.startsWith("application/xml") || type.startsWith("image/svg+xml");
    }

    /** Parses a raw query string; repeated names keep every value in order. */
    public static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        query.replaceAll((k, v) -> List.copyOf(v));
        return query;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static byte[] decodeBase64(String body) {
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            // API Gateway never sends malformed base64; treat it as an empty, invalid body.
            return new byte[0];
        }
    }
}
