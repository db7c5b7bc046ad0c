package dev.latchkey.core.resource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A token request's {@code scope} parameter (RFC 6749 §3.3) against what is granted on a resource: absent → all
 * granted scopes; present → exactly the requested ones, each of which must be granted.
 */
public final class RequestedScope {

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}");
    private static final int MAX_TOKENS = 100;

    private RequestedScope() {
    }

    /**
     * Parses a space-delimited {@code scope} value; duplicates collapse.
     *
     * @throws InvalidScopeException when a token is empty (two spaces), too long or not a scope-token
     */
    public static List<String> parse(String value) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String token : value.split(" ", -1)) {
            if (!SCOPE_TOKEN.matcher(token).matches()) {
                throw new InvalidScopeException();
            }
            tokens.add(token);
        }
        if (tokens.size() > MAX_TOKENS) {
            throw new InvalidScopeException();
        }
        return List.copyOf(tokens);
    }

    /**
     * The scopes a token for {@code access} carries: all granted ones, or the requested subset in the
     * resource's order.
     *
     * @throws InvalidScopeException when a requested scope is not granted
     */
    public static List<String> narrow(ResourceAccess access, Optional<List<String>> requested) {
        if (requested.isEmpty()) {
            return access.scopes();
        }
        if (!access.scopes().containsAll(requested.get())) {
            throw new InvalidScopeException();
        }
        List<String> narrowed = new ArrayList<>();
        for (String scope : access.scopes()) {
            if (requested.get().contains(scope)) {
                narrowed.add(scope);
            }
        }
        return List.copyOf(narrowed);
    }
}
