package dev.latchkey.core.health;

import java.util.Map;

/**
 * The outcome of {@link CheckHealth}.
 *
 * @param version the running version
 * @param checks each dependency's result, by name ({@code dynamodb}, {@code key_vault})
 */
public record HealthReport(String version, Map<String, Check> checks) {

    /** Up or down. */
    public enum Status {
        UP, DOWN
    }

    /**
     * One dependency's result.
     *
     * @param status up or down
     * @param latencyMillis how long the check took
     */
    public record Check(Status status, long latencyMillis) {
    }

    /** Copies the checks. */
    public HealthReport {
        checks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checks));
    }

    /** Up when every check is. */
    public Status status() {
        return checks.values().stream().allMatch(c -> c.status() == Status.UP) ? Status.UP : Status.DOWN;
    }
}
