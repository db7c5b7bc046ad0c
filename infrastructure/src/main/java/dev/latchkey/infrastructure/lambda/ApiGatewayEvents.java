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
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Translates between API Gateway HTTP API payload 2.0 and Latchkey's HTTP model, both ways.
 *
 * <p>Requests: the method and raw path come from {@code requestContext.http} and {@code rawPath}
 * (Latchkey routes itself, so the {@code $default} route works too); the client address is
 * {@code requestContext.http.sourceIp}, never {@code X-Forwarded-For} (with the CloudFront edge: its viewer address,
 * see {@link EdgeOrigin}); {@code cookies} go back into
 * one {@code cookie} header. Responses: text bodies are sent as is, anything else base64-encoded.
 */
public final class ApiGatewayEvents {

    /** A plain reader for events: the body, up to API Gateway's 10 MB, is a string of the event. */
    private static final JsonMapper EVENTS = JsonMapper.builder().build();

    private ApiGatewayEvents() {
    }

    /**
     * Reads an API Gateway HTTP API payload 2.0 event as Lambda delivers it: every field {@link #toRequest} and the
     * request log use, by its documented name (no {@code aws-lambda-java-serialization}: 3.6 MB with its shaded
     * Jackson, Gson and Joda, in every zip, for this one mapping). Absent or {@code null} fields stay {@code null};
     * {@code headers} keeps API Gateway's lower-cased names.
     *
     * @throws tools.jackson.core.JacksonException when the bytes are not a JSON document
     */
    public static APIGatewayV2HTTPEvent readEvent(byte[] json) {
        JsonNode event = EVENTS.readTree(json);
        JsonNode context = event.path("requestContext");
        JsonNode http = context.path("http");
        APIGatewayV2HTTPEvent.RequestContext requestContext = context.isObject()
                ? APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(text(context, "routeKey"))
                        .withAccountId(text(context, "accountId"))
                        .withStage(text(context, "stage"))
                        .withApiId(text(context, "apiId"))
                        .withDomainName(text(context, "domainName"))
                        .withDomainPrefix(text(context, "domainPrefix"))
                        .withTime(text(context, "time"))
                        .withTimeEpoch(context.path("timeEpoch").asLong(0))
                        .withRequestId(text(context, "requestId"))
                        .withHttp(http.isObject() ? APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(text(http, "method"))
                                .withPath(text(http, "path"))
                                .withProtocol(text(http, "protocol"))
                                .withSourceIp(text(http, "sourceIp"))
                                .withUserAgent(text(http, "userAgent"))
                                .build() : null)
                        .build()
                : null;
        return APIGatewayV2HTTPEvent.builder()
                .withVersion(text(event, "version"))
                .withRouteKey(text(event, "routeKey"))
                .withRawPath(text(event, "rawPath"))
                .withRawQueryString(text(event, "rawQueryString"))
                .withCookies(strings(event.path("cookies")))
                .withHeaders(stringMap(event.path("headers")))
                .withQueryStringParameters(stringMap(event.path("queryStringParameters")))
                .withPathParameters(stringMap(event.path("pathParameters")))
                .withStageVariables(stringMap(event.path("stageVariables")))
                .withBody(text(event, "body"))
                .withIsBase64Encoded(event.path("isBase64Encoded").asBoolean(false))
                .withRequestContext(requestContext)
                .build();
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isMissingNode() || value.isNull() ? null : value.asString();
    }

    private static List<String> strings(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.isNull() ? null : value.asString()));
        return values;
    }

    private static Map<String, String> stringMap(JsonNode object) {
        if (!object.isObject()) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        object.properties().forEach(e -> values.put(e.getKey(),
                e.getValue().isNull() ? null : e.getValue().asString()));
        return values;
    }

    /** The core request for an API Gateway event, without the edge ({@link EdgeOrigin#off()}). */
    public static HttpRequest toRequest(APIGatewayV2HTTPEvent event) {
        return toRequest(event, EdgeOrigin.off()).orElseThrow();
    }

    /**
     * The core request for an API Gateway event, or empty when the edge refuses it ({@link EdgeOrigin#clientAddress}:
     * with the edge, the secret origin header is missing or wrong, or CloudFront's viewer address is unusable). The
     * client address is then CloudFront's viewer address, else {@code sourceIp}; the secret header never reaches
     * the handlers (nor anything they log), with or without the edge.
     */
    public static Optional<HttpRequest> toRequest(APIGatewayV2HTTPEvent event, EdgeOrigin edge) {
        var context = event.getRequestContext();
        var http = context == null ? null : context.getHttp();
        String method = http != null && http.getMethod() != null ? http.getMethod().toUpperCase(Locale.ROOT) : "GET";
        String path = event.getRawPath() != null ? event.getRawPath() : http != null ? http.getPath() : "/";
        Optional<String> clientAddress = edge.clientAddress(event.getHeaders(), http == null ? "" : http.getSourceIp());
        if (clientAddress.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null && !name.equalsIgnoreCase(EdgeOrigin.SECRET_HEADER)) {
                    headers.put(name, List.of(value == null ? "" : value));
                }
            });
        }
        if (event.getCookies() != null && !event.getCookies().isEmpty()) {
            headers.put("cookie", List.of(String.join("; ", event.getCookies())));
        }
        byte[] body = event.getBody() == null ? new byte[0]
                : event.getIsBase64Encoded() ? decodeBase64(event.getBody())
                : event.getBody().getBytes(StandardCharsets.UTF_8);
        return Optional.of(new HttpRequest(method, path, Map.of(), parseQuery(event.getRawQueryString()),
                Headers.of(headers), body, clientAddress.get(), context == null ? "" : context.getRequestId()));
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
