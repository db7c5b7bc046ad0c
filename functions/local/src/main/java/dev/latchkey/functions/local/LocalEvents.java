package dev.latchkey.functions.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.infrastructure.lambda.ApiGatewayEvents;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the API Gateway HTTP API (payload 2.0) event that API Gateway would deliver for an HTTP
 * request, so the local server calls each function exactly as Lambda does: lower-cased headers with
 * repeated ones comma-joined, {@code cookies} split out of {@code Cookie}, the route key and path
 * parameters of the matching route (else {@code $default}), {@code sourceIp} from the socket, and
 * {@code x-forwarded-*} headers appended as API Gateway does. A text body travels as text when it is valid
 * UTF-8 and base64-encoded otherwise, so the function sees exactly the bytes that were sent and refuses them.
 */
final class LocalEvents {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalEvents() {
    }

    /**
     * The event, and the function that serves it.
     *
     * @param event the API Gateway event
     * @param function the function's bean name
     */
    record Routed(APIGatewayV2HTTPEvent event, String function) {
    }

    static Routed toEvent(String method, String rawPath, String rawQuery, Map<String, List<String>> requestHeaders,
            byte[] body, String sourceIp, int port, Instant now) {
        Optional<ApiCatalog.Match> match = ApiCatalog.match(method, rawPath);
        String routeKey = match.map(m -> m.route().key()).orElse(ApiCatalog.DEFAULT_ROUTE_KEY);
        String function = match.map(m -> m.function().name()).orElse(ApiCatalog.defaultRouteFunction().name());

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        requestHeaders.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> {
                    for (String cookie : v.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                });
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        headers.merge("x-forwarded-for", sourceIp, (existing, ip) -> existing + ", " + ip);
        headers.put("x-forwarded-proto", "http");
        headers.put("x-forwarded-port", Integer.toString(port));
        String requestId = requestId();
        String contentType = headers.getOrDefault("content-type", "");
        // A text body that is not valid UTF-8 travels base64-encoded, byte for byte: decoding it here would
        // replace the bad bytes with U+FFFD and hand the function text the client never sent (issue 11 §4).
        boolean text = ApiGatewayEvents.isText(contentType) && validUtf8(body);

        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method)
                .withPath(rawPath)
                .withProtocol("HTTP/1.1")
                .withSourceIp(sourceIp)
                .withUserAgent(headers.getOrDefault("user-agent", ""))
                .build();
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000")
                .withApiId("local")
                .withDomainName(headers.getOrDefault("host", "localhost:" + port))
                .withDomainPrefix("local")
                .withHttp(http)
                .withRequestId(requestId)
                .withRouteKey(routeKey)
                .withStage("$default")
                .withTime(TIME.format(now))
                .withTimeEpoch(now.toEpochMilli())
                .build();
        Map<String, String> query = new LinkedHashMap<>();
        ApiGatewayEvents.parseQuery(rawQuery).forEach((name, values) -> query.put(name, String.join(",", values)));
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(match.map(ApiCatalog.Match::pathParameters).filter(p -> !p.isEmpty())
                        .orElse(null))
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .build();
        return new Routed(event, function);
    }

    /** Whether bytes are well-formed UTF-8 (no overlong forms, no encoded surrogates, nothing truncated). */
    static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The response bytes of a function's answer. */
    static byte[] body(APIGatewayV2HTTPResponse response) {
        String body = response.getBody();
        if (body == null || body.isEmpty()) {
            return new byte[0];
        }
        return response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    /** A request id in API Gateway's shape (base64 of 10 random bytes). */
    private static String requestId() {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
