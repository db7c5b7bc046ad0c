package dev.latchkey.infrastructure.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.infrastructure.testing.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ApiGatewayEventsTest {

    /** Reads event JSON exactly as the Lambda Java runtime does. */
    private static final PojoSerializer<APIGatewayV2HTTPEvent> EVENTS = LambdaEventSerializers
            .serializerFor(APIGatewayV2HTTPEvent.class, ApiGatewayEventsTest.class.getClassLoader());
    private static final PojoSerializer<APIGatewayV2HTTPResponse> RESPONSES = LambdaEventSerializers
            .serializerFor(APIGatewayV2HTTPResponse.class, ApiGatewayEventsTest.class.getClassLoader());

    /** A payload 2.0 event; {@code extra} holds further top-level members as JSON text (may be empty). */
    private static APIGatewayV2HTTPEvent event(String method, String rawPath, String rawQueryString,
            String headersJson, String sourceIp, String extra) {
        String json = """
                {
                  "version": "2.0",
                  "routeKey": "$default",
                  "rawPath": "%s",
                  "rawQueryString": "%s",
                  "headers": %s,
                  "requestContext": {
                    "accountId": "123456789012",
                    "apiId": "abc123",
                    "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
                    "http": {
                      "method": "%s",
                      "path": "%s",
                      "protocol": "HTTP/1.1",
                      "sourceIp": "%s",
                      "userAgent": "test"
                    },
                    "requestId": "req-1",
                    "routeKey": "$default",
                    "stage": "$default",
                    "timeEpoch": 1741774534123
                  }%s
                }
                """.formatted(rawPath, rawQueryString, headersJson, method, rawPath, sourceIp,
                extra.isEmpty() ? "" : ",\n" + extra);
        return EVENTS.fromJson(json);
    }

    private static APIGatewayV2HTTPEvent event(String headersJson, String extra) {
        return event("POST", "/v1/things", "", headersJson, "203.0.113.10", extra);
    }

    @Test
    void toRequestWhenSampleEventsThenMethodPathHeadersBodyAndSourceIpMatchTheFile() throws IOException {
        List<Path> files = Events.http();
        assertThat(files).isNotEmpty();

        for (Path file : files) {
            String json = Files.readString(file, StandardCharsets.UTF_8);
            JsonNode expected = Json.mapper().readTree(json);

            HttpRequest request = ApiGatewayEvents.toRequest(EVENTS.fromJson(json));

            String name = file.getFileName().toString();
            JsonNode http = expected.path("requestContext").path("http");
            assertThat(request.method()).as(name).isEqualTo(http.path("method").asString());
            assertThat(request.path()).as(name).isEqualTo(expected.path("rawPath").asString());
            assertThat(request.sourceIp()).as(name).isEqualTo(http.path("sourceIp").asString()).isNotEmpty();
            assertThat(request.requestId()).as(name)
                    .isEqualTo(expected.path("requestContext").path("requestId").asString()).isNotEmpty();
            assertThat(expected.path("headers").propertyNames()).as(name).isNotEmpty();
            for (String header : expected.path("headers").propertyNames()) {
                String value = expected.path("headers").path(header).asString();
                assertThat(request.headers().first(header)).as(name + " " + header).contains(value);
                assertThat(request.headers().first(header.toUpperCase(Locale.ROOT))).as(name + " " + header)
                        .contains(value);
            }
            String body = expected.path("body").asString("");
            assertThat(new String(request.body(), StandardCharsets.UTF_8)).as(name).isEqualTo(body);
            // The query comes from rawQueryString; API Gateway's own queryStringParameters (values of a
            // repeated name joined by commas) must say the same.
            Map<String, String> parameters = new LinkedHashMap<>();
            expected.path("queryStringParameters").properties()
                    .forEach(p -> parameters.put(p.getKey(), p.getValue().asString()));
            Map<String, String> parsed = new LinkedHashMap<>();
            request.query().forEach((key, values) -> parsed.put(key, String.join(",", values)));
            assertThat(parsed).as(name).isEqualTo(parameters);
            assertThat(parsed.isEmpty()).as(name).isEqualTo(expected.path("rawQueryString").asString("").isEmpty());
        }
    }

    @Test
    void toRequestWhenMethodLowerCaseThenUpperCased() {
        HttpRequest request = ApiGatewayEvents.toRequest(
                event("delete", "/v1/things/t1", "", "{}", "203.0.113.10", ""));

        assertThat(request.method()).isEqualTo("DELETE");
        assertThat(request.path()).isEqualTo("/v1/things/t1");
    }

    @Test
    void toRequestWhenHeadersMixedCaseThenLookupIsCaseInsensitive() {
        HttpRequest request = ApiGatewayEvents.toRequest(event(
                "{\"X-Custom-Header\": \"v1\", \"content-type\": \"application/json\"}", ""));

        assertThat(request.headers().first("x-custom-header")).contains("v1");
        assertThat(request.headers().first("X-CUSTOM-HEADER")).contains("v1");
        assertThat(request.headers().first("Content-Type")).contains("application/json");
        assertThat(request.headers().first("x-absent")).isEmpty();
    }

    /** ASVS 5.0 [15.3.4]: a client-supplied X-Forwarded-For cannot change who the client is. */
    @Test
    void toRequestWhenXForwardedForSpoofedThenSourceIpFromRequestContext() {
        HttpRequest request = ApiGatewayEvents.toRequest(event("GET", "/health", "",
                "{\"x-forwarded-for\": \"198.51.100.99\", \"X-Real-IP\": \"198.51.100.98\"}", "203.0.113.10", ""));

        assertThat(request.sourceIp()).isEqualTo("203.0.113.10");
        assertThat(request.headers().first("x-forwarded-for")).contains("198.51.100.99");
    }

    @Test
    void toRequestWhenCookiesThenJoinedIntoOneCookieHeader() {
        HttpRequest request = ApiGatewayEvents.toRequest(event("{}",
                "\"cookies\": [\"session=abc\", \"theme=dark\", \"csrf=x%3Dy\"]"));

        assertThat(request.headers().all("cookie")).containsExactly("session=abc; theme=dark; csrf=x%3Dy");
    }

    @Test
    void toRequestWhenNoCookiesThenNoCookieHeader() {
        HttpRequest request = ApiGatewayEvents.toRequest(event("{\"accept\": \"*/*\"}", ""));

        assertThat(request.headers().first("cookie")).isEmpty();
        assertThat(request.headers().first("accept")).contains("*/*");
    }

    @Test
    void toRequestWhenBodyBase64EncodedThenDecoded() {
        byte[] binary = {0, 1, 2, (byte) 0xff, (byte) 0xfe, '{'};
        HttpRequest request = ApiGatewayEvents.toRequest(event("{\"content-type\": \"application/octet-stream\"}",
                "\"body\": \"" + Base64.getEncoder().encodeToString(binary) + "\", \"isBase64Encoded\": true"));

        assertThat(request.body()).containsExactly(binary);
    }

    @Test
    void toRequestWhenBodyTextThenUtf8Bytes() {
        HttpRequest request = ApiGatewayEvents.toRequest(event("{\"content-type\": \"application/json\"}",
                "\"body\": \"{\\\"name\\\":\\\"J\u00f6rg\\\"}\", \"isBase64Encoded\": false"));

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"J\u00f6rg\"}");
    }

    @Test
    void toRequestWhenNoBodyThenEmpty() {
        assertThat(ApiGatewayEvents.toRequest(event("{}", "")).body()).isEmpty();
    }

    @Test
    void toRequestWhenQueryRepeatedAndPercentEncodedThenParsedInOrder() {
        String raw = "scope=openid&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fa%3D1%26b%3D2&scope=email"
                + "&name=J%C3%B6rg+Doe&flag&empty=&scope=profile&bad=%zz&eq=a%3Db=c";
        HttpRequest request = ApiGatewayEvents.toRequest(event("GET", "/v1/authorize", raw, "{}", "203.0.113.10", ""));

        assertThat(request.query().get("scope")).containsExactly("openid", "email", "profile");
        assertThat(request.queryParameter("redirect_uri")).contains("https://app.example/cb?a=1&b=2");
        assertThat(request.queryParameter("name")).contains("J\u00f6rg Doe");
        assertThat(request.query().get("flag")).containsExactly("");
        assertThat(request.query().get("empty")).containsExactly("");
        assertThat(request.queryParameter("bad")).contains("%zz");
        assertThat(request.queryParameter("eq")).contains("a=b=c");
        assertThat(ApiGatewayEvents.parseQuery(raw).keySet())
                .containsExactly("scope", "redirect_uri", "name", "flag", "empty", "bad", "eq");
    }

    @Test
    void parseQueryWhenEmptyOrNullThenNoParameters() {
        assertThat(ApiGatewayEvents.parseQuery(null)).isEmpty();
        assertThat(ApiGatewayEvents.parseQuery("")).isEmpty();
        assertThat(ApiGatewayEvents.parseQuery("&&")).isEmpty();
    }

    @Test
    void toResponseWhenJsonThenTextBodyNotBase64() {
        HttpResponse response = HttpResponse.json(201, "{\"id\":\"t1\",\"name\":\"J\u00f6rg\"}"
                .getBytes(StandardCharsets.UTF_8)).withHeader("x-request-id", "req-1");

        APIGatewayV2HTTPResponse out = ApiGatewayEvents.toResponse(response);

        assertThat(out.getStatusCode()).isEqualTo(201);
        assertThat(out.getBody()).isEqualTo("{\"id\":\"t1\",\"name\":\"J\u00f6rg\"}");
        assertThat(out.getIsBase64Encoded()).isFalse();
        assertThat(out.getHeaders()).containsExactly(entry("content-type", "application/json"),
                entry("x-request-id", "req-1"));
        assertThat(out.getCookies()).isNull();
    }

    @Test
    void toResponseWhenBinaryContentTypeThenBase64BodyAndFlag() {
        byte[] binary = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        HttpResponse response = new HttpResponse(200, Map.of("content-type", "application/octet-stream"), binary);

        APIGatewayV2HTTPResponse out = ApiGatewayEvents.toResponse(response);

        assertThat(out.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(out.getBody())).containsExactly(binary);
        assertThat(out.getHeaders()).containsEntry("content-type", "application/octet-stream");
    }

    @Test
    void toResponseWhenSetCookieThenMovedToCookies() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("Set-Cookie", "sid=abc; HttpOnly; Secure; SameSite=Strict");
        headers.put("cache-control", "no-store");
        HttpResponse response = new HttpResponse(200, headers, "{}".getBytes(StandardCharsets.UTF_8));

        APIGatewayV2HTTPResponse out = ApiGatewayEvents.toResponse(response);

        assertThat(out.getCookies()).containsExactly("sid=abc; HttpOnly; Secure; SameSite=Strict");
        assertThat(out.getHeaders()).doesNotContainKey("set-cookie")
                .containsExactly(entry("content-type", "application/json"), entry("cache-control", "no-store"));
    }

    @Test
    void toResponseWhenEmptyBodyThenEmptyStringNotBase64() {
        APIGatewayV2HTTPResponse out = ApiGatewayEvents.toResponse(HttpResponse.noContent()
                .withHeader("x-request-id", "req-1"));

        assertThat(out.getStatusCode()).isEqualTo(204);
        assertThat(out.getBody()).isEqualTo("");
        assertThat(out.getIsBase64Encoded()).isFalse();
        assertThat(out.getHeaders()).containsExactly(entry("x-request-id", "req-1"));
    }

    @Test
    void toResponseWhenSerializedAsLambdaDoesThenPayloadFieldsPresent() {
        HttpResponse response = new HttpResponse(200, Map.of("content-type", "application/octet-stream",
                "set-cookie", "sid=1"), new byte[] {1, 2, 3});

        ByteArrayOutputStream json = new ByteArrayOutputStream();
        RESPONSES.toJson(ApiGatewayEvents.toResponse(response), json);
        JsonNode node = Json.mapper().readTree(json.toString(StandardCharsets.UTF_8));

        assertThat(node.path("statusCode").asInt()).isEqualTo(200);
        assertThat(node.path("isBase64Encoded").asBoolean(false)).isTrue();
        assertThat(node.path("body").asString()).isEqualTo("AQID");
        assertThat(node.path("cookies").path(0).asString()).isEqualTo("sid=1");
        assertThat(node.path("headers").path("content-type").asString()).isEqualTo("application/octet-stream");
    }

    /**
     * {@link ApiGatewayEvents#readEvent} replaces {@code aws-lambda-java-serialization} in the zips: for every
     * committed event it reads what Latchkey uses exactly as the Lambda runtime's own serializer does.
     */
    @Test
    void readEventWhenEveryCommittedEventThenSameRequestAsTheLambdaRuntimeSerializer() throws IOException {
        List<Path> files = Events.http();
        assertThat(files).hasSizeGreaterThan(20);
        for (Path file : files) {
            byte[] json = Files.readAllBytes(file);
            APIGatewayV2HTTPEvent ours = ApiGatewayEvents.readEvent(json);
            APIGatewayV2HTTPEvent aws = EVENTS.fromJson(new java.io.ByteArrayInputStream(json));
            HttpRequest mine = ApiGatewayEvents.toRequest(ours);
            HttpRequest theirs = ApiGatewayEvents.toRequest(aws);
            String name = file.toString();
            assertThat(mine.method()).as(name).isEqualTo(theirs.method());
            assertThat(mine.path()).as(name).isEqualTo(theirs.path());
            assertThat(mine.query()).as(name).isEqualTo(theirs.query());
            assertThat(mine.headers()).as(name).isEqualTo(theirs.headers());
            assertThat(mine.body()).as(name).isEqualTo(theirs.body());
            assertThat(mine.sourceIp()).as(name).isEqualTo(theirs.sourceIp());
            assertThat(mine.requestId()).as(name).isEqualTo(theirs.requestId());
            assertThat(ours.getRouteKey()).as(name).isEqualTo(aws.getRouteKey());
            assertThat(ours.getPathParameters()).as(name).isEqualTo(aws.getPathParameters());
            assertThat(ours.getCookies()).as(name).isEqualTo(aws.getCookies());
            assertThat(ours.getIsBase64Encoded()).as(name).isEqualTo(aws.getIsBase64Encoded());
        }
    }

    @Test
    void readEventWhenBase64BodyCookiesAndNullsThenAsTheLambdaRuntimeSerializer() {
        String json = """
                {"version":"2.0","routeKey":"$default","rawPath":"/x","rawQueryString":"a=1&a=2",
                 "cookies":["a=1","b=2"],"headers":{"content-type":"text/plain","x-empty":""},
                 "queryStringParameters":null,"body":"aGk=","isBase64Encoded":true,
                 "requestContext":{"requestId":"r-1","timeEpoch":1,"http":{"method":"post","path":"/x",
                 "sourceIp":"203.0.113.9"}}}""";
        APIGatewayV2HTTPEvent ours = ApiGatewayEvents.readEvent(json.getBytes(StandardCharsets.UTF_8));
        APIGatewayV2HTTPEvent aws = EVENTS.fromJson(
                new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(ours).isEqualTo(aws);
        assertThat(new String(ApiGatewayEvents.toRequest(ours).body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void isTextWhenContentTypesThenTextOnlyForTextualTypes() {
        assertThat(List.of("text/plain; charset=utf-8", "application/json", "application/problem+json",
                "application/x-www-form-urlencoded", "APPLICATION/JSON", "image/svg+xml"))
                .isNotEmpty().allMatch(ApiGatewayEvents::isText);
        assertThat(List.of("application/octet-stream", "image/png", "application/pdf", ""))
                .isNotEmpty().noneMatch(ApiGatewayEvents::isText);
    }
}
