package dev.latchkey.infrastructure.metrics;

import java.util.Map;

/**
 * Where operational metrics go: CloudWatch Embedded Metric Format lines in Lambda ({@link EmfMetrics}), a Prometheus
 * registry on the local server and in the container, or nowhere. Callers pass raw dimension values;
 * {@link BoundedMetrics} (what the runtime hands out) reduces each to its {@link Dimension}'s closed set and fills
 * {@link Dimension#FUNCTION} from the current request before a sink sees it.
 */
@FunctionalInterface
public interface Metrics {

    /** Records nothing. */
    Metrics NONE = (dimensions, values) -> { };

    /**
     * Records values of meters that share one set of dimension values (one EMF line).
     *
     * @param dimensions a value for each dimension of every meter in {@code values}
     * @param values each meter's value: 1 for a count, milliseconds for {@link Meter#LATENCY}
     */
    void record(Map<Dimension, String> dimensions, Map<Meter, Double> values);

    /** Counts one of {@code meter}. */
    default void count(Meter meter, Map<Dimension, String> dimensions) {
        record(dimensions, Map.of(meter, 1.0));
    }
}
