package dev.latchkey.infrastructure.metrics;

import dev.latchkey.core.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * CloudWatch Embedded Metric Format, written by hand (about 60 lines; docs/architecture.md "Metrics: a small EMF
 * writer" has the measurements that ruled out {@code aws-embedded-metrics} and Powertools): one JSON line per
 * sample, written at once on the logger {@value #LOGGER} (plain {@code %msg%n} on standard output, see
 * {@code logback.xml}), which CloudWatch Logs turns into metrics. Nothing is buffered, so nothing is lost when Lambda
 * freezes the container after a response.
 *
 * <pre>{"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":"Latchkey","Dimensions":[["Function","Route",
 * "StatusClass"],…],"Metrics":[{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"}]}]},
 * "Function":"login","Route":"POST /v1/auth/login/password","StatusClass":"2xx","Requests":1,"Latency":41.2}</pre>
 *
 * <p>Format: the EMF specification (CloudWatch user guide, "Embedded metric format specification"): the
 * {@code _aws} member's {@code Timestamp} (epoch milliseconds) and one metric directive (namespace, dimension sets,
 * metric names and units); dimension and metric values are root members.
 */
public final class EmfMetrics implements Metrics {

    /** The logger EMF lines are written on. */
    public static final String LOGGER = "latchkey.metrics";

    private final String namespace;
    private final Clock clock;
    private final Consumer<String> out;

    /**
     * @param namespace the CloudWatch namespace ({@code LATCHKEY_METRICS_NAMESPACE})
     * @param clock the samples' timestamp
     * @param out where each line goes (the {@value #LOGGER} logger in production)
     */
    public EmfMetrics(String namespace, Clock clock, Consumer<String> out) {
        this.namespace = namespace;
        this.clock = clock;
        this.out = out;
    }

    /** On the {@value #LOGGER} logger. */
    public static EmfMetrics onLogger(String namespace, Clock clock) {
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(LOGGER);
        return new EmfMetrics(namespace, clock, logger::info);
    }

    @Override
    public void record(Map<Dimension, String> dimensions, Map<Meter, Double> values) {
        out.accept(line(dimensions, values));
    }

    /** The EMF document of one sample. */
    String line(Map<Dimension, String> dimensions, Map<Meter, Double> unordered) {
        Map<Meter, Double> values = new EnumMap<>(Meter.class); // a stable order: the catalog's
        values.putAll(unordered);
        Map<Dimension, String> ordered = new EnumMap<>(Dimension.class);
        ordered.putAll(dimensions);
        Set<List<String>> sets = new LinkedHashSet<>();
        List<Map<String, String>> metrics = new ArrayList<>();
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<Meter, Double> entry : values.entrySet()) {
            Meter meter = entry.getKey();
            for (List<Dimension> rollup : meter.rollups()) {
                sets.add(rollup.stream().map(Dimension::emfName).toList());
            }
            Map<String, String> metric = new LinkedHashMap<>();
            metric.put("Name", meter.emfName());
            metric.put("Unit", meter.unit().emfName());
            metrics.add(metric);
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", new ArrayList<>(sets));
        directive.put("Metrics", metrics);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", clock.millis());
        aws.put("CloudWatchMetrics", List.of(directive));
        root.put("_aws", aws);
        ordered.forEach((dimension, value) -> root.put(dimension.emfName(), value));
        values.forEach((meter, value) -> root.put(meter.emfName(), value));
        return new String(Json.write(root), StandardCharsets.UTF_8);
    }
}
