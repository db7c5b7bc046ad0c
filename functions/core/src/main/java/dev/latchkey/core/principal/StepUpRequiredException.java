package dev.latchkey.core.principal;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 9470 §3: the access token is valid, but the user's authentication is not recent (or strong) enough for this
 * request. 401 {@code AUTHENTICATION_FAILED} in the standard error body with {@code details.reason}
 * {@value #REASON} and {@code details.max_age}, and the challenge
 * {@code WWW-Authenticate: Bearer error="insufficient_user_authentication", error_description="…", max_age="…"}
 * (plus {@code acr_values="…"} when an authentication context is asked for). The client re-authenticates the user
 * (for example with {@code max_age} at the authorization server, or a fresh login) and retries with the new token.
 *
 * <p>Nothing from the token is carried; the message and challenge are the same for every user.
 */
public final class StepUpRequiredException extends LatchkeyException {

    /** {@code details.reason} and the RFC 9470 {@code error} value. */
    public static final String REASON = "INSUFFICIENT_USER_AUTHENTICATION";

    private static final long serialVersionUID = 1L;
    private static final String DESCRIPTION = "A more recent authentication is required.";

    private final long maxAgeSeconds;
    private final transient List<String> acrValues;

    /**
     * @param maxAge the longest time since the user's authentication this request accepts (whole seconds are sent)
     * @param acrValues authentication context class references the request asks for, in order of preference (RFC
     *     9470 {@code acr_values}); empty for none. Each is a token without spaces or quotes.
     */
    public StepUpRequiredException(Duration maxAge, List<String> acrValues) {
        super(ErrorCode.AUTHENTICATION_FAILED, DESCRIPTION, details(maxAge, acrValues), null);
        this.maxAgeSeconds = maxAge.toSeconds();
        this.acrValues = List.copyOf(acrValues);
    }

    private static Map<String, Object> details(Duration maxAge, List<String> acrValues) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge must not be negative");
        }
        for (String acr : acrValues) {
            if (acr.isEmpty() || !acr.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '"' && c != '\\')) {
                throw new IllegalArgumentException("acr value must be a token without spaces or quotes");
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", REASON);
        details.put("max_age", maxAge.toSeconds());
        if (!acrValues.isEmpty()) {
            details.put("acr_values", String.join(" ", acrValues));
        }
        return details;
    }

    /** The {@code max_age} the challenge names, in seconds. */
    public long maxAgeSeconds() {
        return maxAgeSeconds;
    }

    /** The {@code acr_values} the challenge names (may be empty). */
    public List<String> acrValues() {
        return acrValues;
    }

    /** RFC 9470 §3 (with RFC 6750 §3 syntax): the step-up challenge. */
    @Override
    public Map<String, String> headers() {
        StringBuilder challenge = new StringBuilder("Bearer error=\"insufficient_user_authentication\"")
                .append(", error_description=\"").append(DESCRIPTION).append('"');
        if (!acrValues.isEmpty()) {
            challenge.append(", acr_values=\"").append(String.join(" ", acrValues)).append('"');
        }
        challenge.append(", max_age=\"").append(maxAgeSeconds).append('"');
        return Map.of("www-authenticate", challenge.toString());
    }
}
