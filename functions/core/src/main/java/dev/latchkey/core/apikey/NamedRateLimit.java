package dev.latchkey.core.apikey;

import dev.latchkey.core.ratelimit.RateLimit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One of a key's named rate limits (docs/api-keys.md "Named rate limits"; issue 21 §2), e.g. {@code requests} and
 * {@code tokens}: a verify names the one to apply and its cost. The key's single {@code rate_limit} is the one named
 * {@value #DEFAULT}, applied when a verify names none.
 *
 * @param name {@code [a-z][a-z0-9_-]{0,31}}
 * @param limit its limit per window
 */
public record NamedRateLimit(String name, RateLimit limit) {

    /** The name of a key's single {@code rate_limit}. */
    public static final String DEFAULT = "default";
    /** Most named limits on one key, {@value #DEFAULT} included. */
    public static final int MAX_PER_KEY = 10;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /** Checks the name. */
    public NamedRateLimit {
        Objects.requireNonNull(limit, "limit");
        if (!isName(name)) {
            throw ApiKeyException.invalid("rate_limits.name", "INVALID_FORMAT",
                    "A rate limit's 'name' is a lower-case letter, then up to 31 of a-z, 0-9, _ and -.");
        }
    }

    /** Whether the text is a rate limit's name. */
    public static boolean isName(String text) {
        return text != null && NAME.matcher(text).matches();
    }

    /** The counter's bucket for a key: the default limit keeps its historic {@code apikey:<keyId>}. */
    public String bucket(String keyId) {
        return DEFAULT.equals(name) ? "apikey:" + keyId : "apikey:" + keyId + ":" + name;
    }
}
