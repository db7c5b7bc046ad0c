package dev.latchkey.core.ratelimit;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.util.Map;

/** 429 {@code RATE_LIMITED}, with the decision's {@code Retry-After} and rate-limit headers. */
public final class RateLimitedException extends LatchkeyException {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> headers;

    /** @param decision the denying decision */
    public RateLimitedException(RateLimitDecision decision) {
        super(ErrorCode.RATE_LIMITED, "Too many requests; retry later.",
                Map.of("retry_after_seconds", decision.resetSeconds()), null);
        if (decision.allowed()) {
            throw new IllegalArgumentException("decision allowed the request");
        }
        this.headers = decision.headers();
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }
}
