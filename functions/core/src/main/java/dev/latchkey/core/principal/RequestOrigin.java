package dev.latchkey.core.principal;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a request came from, as use cases need it for rate limits and audit events (no HTTP type).
 *
 * @param sourceIp the client address as API Gateway saw it ({@code sourceIp}, never
 *     {@code X-Forwarded-For}); empty when unknown
 * @param requestId the request id, joined into audit events
 */
public record RequestOrigin(Optional<String> sourceIp, String requestId) {

    /** The shapes {@link dev.latchkey.core.audit.AuditEvent} accepts; anything else is dropped, not trusted. */
    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:=+/-]{1,128}");

    /** Validates the fields. */
    public RequestOrigin {
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(requestId, "requestId");
    }

    /**
     * From possibly empty strings (as {@code HttpRequest} carries them). An address that is not an IP
     * literal becomes empty and an odd request id becomes {@code unknown}, so that neither can break
     * an audit event or a rate-limit bucket.
     */
    public static RequestOrigin of(String sourceIp, String requestId) {
        Optional<String> ip = sourceIp != null && IP.matcher(sourceIp).matches() ? Optional.of(sourceIp)
                : Optional.empty();
        return new RequestOrigin(ip, requestId != null && REQUEST_ID.matcher(requestId).matches() ? requestId
                : "unknown");
    }

    /** The origin of an HTTP request (see {@link #of(String, String)}). */
    public static RequestOrigin of(dev.latchkey.core.http.HttpRequest request) {
        return of(request.sourceIp(), request.requestId());
    }

    /** The rate-limit bucket part for the address, {@code unknown} when there is none. */
    public String ipBucket() {
        return sourceIp.orElse("unknown");
    }
}
