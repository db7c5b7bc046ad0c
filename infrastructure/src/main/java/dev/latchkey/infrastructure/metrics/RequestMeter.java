package dev.latchkey.infrastructure.metrics;

import dev.latchkey.core.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP pipeline's metrics, recorded by {@code ApiGatewayFunction} once per answered request: requests and
 * latency by route key and status class, 429 answers as rate-limit rejections, and the result of an API-key
 * verification. The verify route is the one read of a body: its answer is not audited (it is the hot path, with no
 * write per call), so its {@code valid} and {@code code} members are the only record of the result; both are
 * reduced to {@link Dimension#RESULT}'s closed set.
 */
public final class RequestMeter {

    /** The API-key verification route (core {@code ApiRoutes}). */
    static final String VERIFY_ROUTE = "POST /v1/api-keys/verify";

    private static final Pattern VALID = Pattern.compile("\"valid\"\\s*:\\s*(true|false)");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]{1,40})\"");

    private final Metrics metrics;

    /** @param metrics where the samples go */
    public RequestMeter(Metrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Records one answered request.
     *
     * @param function the function's name
     * @param routeKey API Gateway's route key ({@code $default} when no route matched)
     * @param response the answer
     * @param latencyMillis time inside the function
     */
    public void answered(String function, String routeKey, HttpResponse response, double latencyMillis) {
        int status = response.status();
        Map<Dimension, String> dimensions = new EnumMap<>(Dimension.class);
        dimensions.put(Dimension.FUNCTION, function);
        dimensions.put(Dimension.ROUTE, routeKey);
        dimensions.put(Dimension.STATUS_CLASS, (status / 100) + "xx");
        Map<Meter, Double> values = new EnumMap<>(Meter.class);
        values.put(Meter.REQUESTS, 1.0);
        values.put(Meter.LATENCY, latencyMillis);
        metrics.record(dimensions, values);
        if (status == 429) {
            metrics.count(Meter.RATE_LIMIT_REJECTIONS, Map.of(Dimension.FUNCTION, function, Dimension.ROUTE,
                    routeKey));
        }
        if (VERIFY_ROUTE.equals(routeKey)) {
            metrics.count(Meter.API_KEY_VERIFICATIONS, Map.of(Dimension.FUNCTION, function, Dimension.RESULT,
                    verification(response)));
        }
    }

    /** {@code valid}, the failure code in lower case, {@code invalid_request} (4xx) or {@code error} (5xx). */
    static String verification(HttpResponse response) {
        if (response.status() >= 500) {
            return "error";
        }
        if (response.status() != 200) {
            return "invalid_request";
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        Matcher valid = VALID.matcher(body);
        if (valid.find() && valid.group(1).equals("true")) {
            return "valid";
        }
        Matcher code = CODE.matcher(body);
        return code.find() ? code.group(1).toLowerCase(Locale.ROOT) : Dimension.OTHER;
    }
}
