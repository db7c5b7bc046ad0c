package dev.latchkey.core.http;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request as Latchkey's core sees it, whatever carried it (API Gateway event, local server).
 *
 * @param method upper-case HTTP method
 * @param path the raw path, starting with {@code /}
 * @param pathParameters values of the route template's variables (filled by the {@link Router})
 * @param query query parameters, each with all its values in order
 * @param headers case-insensitive headers
 * @param body the request body bytes (empty, never null)
 * @param sourceIp the client address as the edge saw it (API Gateway {@code sourceIp}; never
 *     {@code X-Forwarded-For})
 * @param requestId the edge's request id, for logs and support
 */
public record HttpRequest(
        String method,
        String path,
        Map<String, String> pathParameters,
        Map<String, List<String>> query,
        Headers headers,
        byte[] body,
        String sourceIp,
        String requestId) {

    private static final String BEARER = "bearer ";

    /** Validates and defensively copies. */
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body.clone();
        sourceIp = sourceIp == null ? "" : sourceIp;
        requestId = requestId == null ? "" : requestId;
    }

    /** The same request with the router's path parameters. */
    public HttpRequest withPathParameters(Map<String, String> parameters) {
        return new HttpRequest(method, path, parameters, query, headers, body, sourceIp, requestId);
    }

    /** A path parameter the matched route declares. */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route declares no path parameter " + name);
        }
        return value;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The token of {@code Authorization: Bearer <token>} (RFC 6750 §2.1; the scheme case-insensitive, RFC 9110
     * §11.1), stripped; empty when the header is absent, of another scheme, or has no token.
     */
    public Optional<String> bearerToken() {
        return headers.first("authorization")
                .filter(value -> value.length() > BEARER.length()
                        && value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER))
                .map(value -> value.substring(BEARER.length()).strip());
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Body length without copying it. */
    public int bodyLength() {
        return body.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpRequest r && r.method.equals(method) && r.path.equals(path)
                && r.pathParameters.equals(pathParameters) && r.query.equals(query) && r.headers.equals(headers)
                && Arrays.equals(r.body, body) && r.sourceIp.equals(sourceIp) && r.requestId.equals(requestId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, pathParameters, query, headers, Arrays.hashCode(body), sourceIp, requestId);
    }

    /** Never prints the body, query or header values: they may carry credentials. */
    @Override
    public String toString() {
        return "HttpRequest[" + method + " " + path + ", requestId=" + requestId + "]";
    }

    /** A builder for tests and adapters. */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** Builds requests step by step. */
    public static final class Builder {
        private final String method;
        private final String path;
        private Map<String, List<String>> query = Map.of();
        private Headers headers = Headers.empty();
        private byte[] body = new byte[0];
        private String sourceIp = "127.0.0.1";
        private String requestId = "test";

        private Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Sets the query parameters. */
        public Builder query(Map<String, List<String>> value) {
            this.query = value;
            return this;
        }

        /** Sets the headers. */
        public Builder headers(Headers value) {
            this.headers = value;
            return this;
        }

        /** Sets the body. */
        public Builder body(byte[] value) {
            this.body = value;
            return this;
        }

        /** Sets the source IP. */
        public Builder sourceIp(String value) {
            this.sourceIp = value;
            return this;
        }

        /** Sets the request id. */
        public Builder requestId(String value) {
            this.requestId = value;
            return this;
        }

        /** The request. */
        public HttpRequest build() {
            return new HttpRequest(method, path, Map.of(), query, headers, body, sourceIp, requestId);
        }
    }
}
