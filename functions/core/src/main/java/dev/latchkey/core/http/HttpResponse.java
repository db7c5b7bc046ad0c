package dev.latchkey.core.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP response: status, headers (names lower-cased, one value each) and body bytes.
 *
 * @param status the HTTP status code
 * @param headers response headers, lower-cased names
 * @param body the body bytes (empty for none)
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    /** JSON media type with its charset. */
    public static final String APPLICATION_JSON = "application/json";

    /** Validates and defensively copies. */
    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        LinkedHashMap<String, String> lower = new LinkedHashMap<>();
        headers.forEach((name, value) -> lower.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value)));
        headers = java.util.Collections.unmodifiableMap(lower);
        body = body == null ? new byte[0] : body.clone();
    }

    /** A JSON response with an already serialized body. */
    public static HttpResponse json(int status, byte[] json) {
        return new HttpResponse(status, Map.of("content-type", APPLICATION_JSON), json);
    }

    /** 204 No Content. */
    public static HttpResponse noContent() {
        return new HttpResponse(204, Map.of(), new byte[0]);
    }

    /** The same response with one more header (replacing one of the same name). */
    public HttpResponse withHeader(String name, String value) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        return new HttpResponse(status, copy, body);
    }

    /** The same response with every given header added unless already present. */
    public HttpResponse withDefaultHeaders(Map<String, String> defaults) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(headers);
        defaults.forEach((name, value) -> copy.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        return new HttpResponse(status, copy, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8 (for text and JSON bodies). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpResponse r && r.status == status && r.headers.equals(headers)
                && Arrays.equals(r.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, Arrays.hashCode(body));
    }

    /** Status and header names only: bodies may hold tokens meant for one client. */
    @Override
    public String toString() {
        return "HttpResponse[" + status + ", headers=" + headers.keySet() + "]";
    }
}
