package dev.latchkey.core.introspect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 7662 §2.2 answer: {@code {"active": false}} and nothing else, or {@code active: true} with the token's
 * members ({@code scope}, {@code client_id}, {@code sub}, {@code aud}, {@code iss}, {@code exp}, {@code iat},
 * {@code token_type}, {@code org}…). Never holds the token itself.
 */
public final class Introspection {

    private static final Introspection INACTIVE = new Introspection(false, Map.of());

    private final boolean active;
    private final Map<String, Object> members;

    private Introspection(boolean active, Map<String, Object> members) {
        this.active = active;
        this.members = members;
    }

    /** The answer for every token that is not active for the caller, whatever the reason (§2.2). */
    public static Introspection inactive() {
        return INACTIVE;
    }

    /** An active token with these members (in this order, after {@code active}). */
    static Introspection active(Map<String, Object> members) {
        return new Introspection(true, Collections.unmodifiableMap(new LinkedHashMap<>(members)));
    }

    /** Whether the token is active. */
    public boolean isActive() {
        return active;
    }

    /** The response members: {@code active} first. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", active);
        body.putAll(members);
        return body;
    }

    @Override
    public String toString() {
        return "Introspection[active=" + active + "]";
    }
}
