package dev.latchkey.functions.local;

import dev.latchkey.infrastructure.metrics.Dimension;
import dev.latchkey.infrastructure.metrics.Meter;
import dev.latchkey.infrastructure.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The local server's metrics (and the container's with {@code LATCHKEY_METRICS=prometheus}): the meters Lambda
 * writes as EMF lines, kept in Micrometer's Prometheus registry and served on {@code GET /metrics} in Prometheus
 * text format. Counters are
 * {@code latchkey_…_total}; {@link Meter#LATENCY} is the histogram {@code latchkey_request_latency_seconds} (buckets
 * for {@code histogram_quantile}). Labels are the meter's dimensions, already bounded by
 * {@code BoundedMetrics}.
 */
final class PrometheusMetrics implements Metrics {

    /** The text format's content type. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Each meter's Micrometer name, made once (a regular expression per sample was ~1 % of a token's CPU). */
    private final Map<Meter, String> names = new EnumMap<>(Meter.class);

    PrometheusMetrics() {
        for (Meter meter : Meter.values()) {
            names.put(meter, baseName(meter));
        }
    }

    @Override
    public void record(Map<Dimension, String> dimensions, Map<Meter, Double> values) {
        values.forEach((meter, value) -> {
            Tags tags = Tags.empty();
            for (Dimension dimension : meter.dimensions()) {
                tags = tags.and(dimension.label(), dimensions.getOrDefault(dimension, Dimension.OTHER));
            }
            if (meter.isTimer()) {
                Timer.builder(names.get(meter)).tags(tags).publishPercentileHistogram().register(registry)
                        .record(Duration.ofNanos(Math.round(value * 1_000_000)));
            } else {
                Counter.builder(names.get(meter)).tags(tags).register(registry).increment(value);
            }
        });
    }

    /** Everything recorded so far, in Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }

    /** Micrometer's dotted name, which its Prometheus naming turns back into {@link Meter#prometheusName()}. */
    static String baseName(Meter meter) {
        return meter.prometheusName().replaceAll("_(total|seconds)$", "").replace('_', '.');
    }
}
