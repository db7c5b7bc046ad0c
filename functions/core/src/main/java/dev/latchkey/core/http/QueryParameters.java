package dev.latchkey.core.http;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Strict reading of a request's query string, the same on every route: a parameter the route does not take, or one
 * given twice, is a 400 {@code VALIDATION_ERROR} naming it in {@code details.field} (with {@code details.reason}
 * {@link #UNKNOWN_PARAMETER} or {@code REPEATED}); {@code limit} is digits only. An unknown name is echoed cut to 64
 * characters and without control characters, since it comes from the caller.
 */
public final class QueryParameters {

    /** The {@code details.reason} of a parameter the route does not take. */
    public static final String UNKNOWN_PARAMETER = "UNKNOWN_PARAMETER";

    /** Digits only, few enough to parse as an {@code int}; the range is the use case's to check. */
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
    private static final int ECHOED_NAME_LENGTH = 64;

    private QueryParameters() {
    }

    /**
     * Refuses any query parameter (for routes that take none).
     *
     * @throws RequestException {@code UNKNOWN_PARAMETER} naming one of them
     */
    public static void none(HttpRequest request) {
        only(request, Set.of());
    }

    /**
     * Takes only these parameters, each at most once.
     *
     * @throws RequestException {@code UNKNOWN_PARAMETER} for another name, {@code REPEATED} for one given twice
     */
    public static void only(HttpRequest request, Set<String> names) {
        only(request, names, UNKNOWN_PARAMETER);
    }

    /**
     * {@link #only(HttpRequest, Set)} with another {@code details.reason} for an unknown name (the api-keys routes
     * have answered {@code UNKNOWN} since they were published).
     */
    public static void only(HttpRequest request, Set<String> names, String unknownReason) {
        for (Map.Entry<String, List<String>> parameter : request.query().entrySet()) {
            String name = parameter.getKey();
            if (!names.contains(name)) {
                String safe = echoable(name);
                throw RequestException.invalid("Unknown query parameter '" + safe + "'.",
                        Map.of("field", safe, "reason", unknownReason));
            }
            if (parameter.getValue().size() != 1) {
                throw RequestException.invalid("Query '" + name + "' is given more than once.",
                        Map.of("field", name, "reason", "REPEATED"));
            }
        }
    }

    /**
     * The {@code limit} parameter, or the default when it is absent. Only its form is checked here (digits, at most
     * four); whether it lies in {@code 1..maxLimit} is the use case's rule, which answers {@code OUT_OF_RANGE}.
     *
     * @param maxLimit the largest limit the use case takes, for the message
     * @throws RequestException {@code INVALID_FORMAT} on {@code limit} when it is not digits
     */
    public static int limit(HttpRequest request, int defaultLimit, int maxLimit) {
        return request.queryParameter("limit").map(value -> {
            if (!LIMIT.matcher(value).matches()) {
                throw RequestException.invalid("Query 'limit' is a whole number, 1 to " + maxLimit + ".",
                        Map.of("field", "limit", "reason", "INVALID_FORMAT"));
            }
            return Integer.parseInt(value);
        }).orElse(defaultLimit);
    }

    private static String echoable(String name) {
        String cut = name.length() > ECHOED_NAME_LENGTH ? name.substring(0, ECHOED_NAME_LENGTH) : name;
        return cut.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
