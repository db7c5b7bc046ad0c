package dev.latchkey.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where operational metrics go (issue 17 item 1), read apart from {@link LatchkeyConfig} because only the runtime
 * needs it.
 *
 * @param mode {@code LATCHKEY_METRICS}: {@link Mode#EMF} (the default: CloudWatch Embedded Metric Format lines on
 *     standard output, which CloudWatch Logs turns into metrics in Lambda), {@link Mode#PROMETHEUS} (the container
 *     serves {@code GET /metrics} instead; in Lambda the same as {@code emf}) or {@link Mode#OFF}; the local server
 *     always serves {@code GET /metrics} unless {@code off}
 * @param namespace {@code LATCHKEY_METRICS_NAMESPACE}: the CloudWatch namespace, default {@value #DEFAULT_NAMESPACE};
 *     SAM and Terraform set {@code Latchkey/<stack or name>} so that two deployments in one account do not mix,
 *     and their alarms and dashboard read the same namespace
 */
public record MetricsSettings(Mode mode, String namespace) {

    /** The namespace without {@code LATCHKEY_METRICS_NAMESPACE}. */
    public static final String DEFAULT_NAMESPACE = "Latchkey";

    /** CloudWatch's namespace rule: 1-255 of these characters, not starting with {@code AWS/}. */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#:]{1,255}");

    /** How metrics leave the process. */
    public enum Mode {
        /** CloudWatch Embedded Metric Format on standard output (Lambda, the container); Prometheus locally. */
        EMF,
        /** {@code GET /metrics} in Prometheus text format in the container (opt-in: it is on the API's port). */
        PROMETHEUS,
        /** No metrics at all. */
        OFF
    }

    /**
     * Reads {@code LATCHKEY_METRICS} and {@code LATCHKEY_METRICS_NAMESPACE}.
     *
     * @throws ConfigException naming the variable when a value is bad (never echoing more than the variable)
     */
    public static MetricsSettings fromEnvironment(Map<String, String> environment) {
        String rawMode = environment.getOrDefault("LATCHKEY_METRICS", "").trim();
        String namespace = environment.getOrDefault("LATCHKEY_METRICS_NAMESPACE", "").trim();
        Mode mode = switch (rawMode.toLowerCase(Locale.ROOT)) {
            case "", "emf" -> Mode.EMF;
            case "prometheus" -> Mode.PROMETHEUS;
            case "off" -> Mode.OFF;
            default -> throw new ConfigException(List.of("LATCHKEY_METRICS: 'emf', 'prometheus' or 'off'"));
        };
        if (namespace.isEmpty()) {
            namespace = DEFAULT_NAMESPACE;
        } else if (!NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new ConfigException(List.of("LATCHKEY_METRICS_NAMESPACE: 1-255 letters, digits or . - _ / # :, "
                    + "not starting with AWS/"));
        }
        return new MetricsSettings(mode, namespace);
    }

    /** Whether metrics are recorded at all. */
    public boolean enabled() {
        return mode != Mode.OFF;
    }
}
