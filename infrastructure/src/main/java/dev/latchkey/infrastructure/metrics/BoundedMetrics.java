package dev.latchkey.infrastructure.metrics;

import dev.latchkey.infrastructure.logging.JsonLogLayout;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The {@link Metrics} every part of Latchkey records through: each dimension value is reduced to its
 * {@link Dimension}'s closed set ({@link Dimension#bounded}), {@link Dimension#FUNCTION} comes from the request being
 * served (the logging context {@code ApiGatewayFunction} sets) or, outside a request, the process's own function,
 * and a meter's missing dimension becomes {@value Dimension#OTHER}. A sink never sees an unbounded value.
 */
public final class BoundedMetrics implements Metrics {

    private final Metrics sink;
    private final String defaultFunction;

    /**
     * @param sink where bounded samples go
     * @param defaultFunction the function outside a request ({@code SPRING_CLOUD_FUNCTION_DEFINITION} in Lambda:
     *     {@code rotate-keys} for the scheduled function); bounded like any value
     */
    public BoundedMetrics(Metrics sink, String defaultFunction) {
        this.sink = sink;
        this.defaultFunction = defaultFunction;
    }

    @Override
    public void record(Map<Dimension, String> dimensions, Map<Meter, Double> values) {
        if (values.isEmpty()) {
            return;
        }
        Map<Dimension, String> bounded = new EnumMap<>(Dimension.class);
        for (Meter meter : values.keySet()) {
            for (Dimension dimension : meter.dimensions()) {
                String raw = dimension == Dimension.FUNCTION && !dimensions.containsKey(Dimension.FUNCTION)
                        ? currentFunction() : dimensions.get(dimension);
                bounded.put(dimension, dimension.bounded(raw));
            }
        }
        try {
            Map<Meter, Double> copy = new EnumMap<>(Meter.class);
            copy.putAll(values);
            sink.record(bounded, copy);
        } catch (RuntimeException e) {
            // A metric must never fail a request.
            org.slf4j.LoggerFactory.getLogger(BoundedMetrics.class).warn("metric not recorded: {}",
                    e.getClass().getSimpleName());
        }
    }

    private String currentFunction() {
        String function = MDC.get(JsonLogLayout.FUNCTION);
        return function == null || function.isEmpty() ? defaultFunction : function;
    }
}
