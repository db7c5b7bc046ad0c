package dev.latchkey.functions.health;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.health.CheckHealth;
import dev.latchkey.core.health.HealthReport;
import dev.latchkey.core.health.KeyRingStatus;
import dev.latchkey.core.http.ErrorResponses;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.Router;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The health routes (API.md "health"):
 * <ul>
 *   <li>{@code GET /health}: 200 {@code {status, version, checks:{dynamodb, key_vault}, latency_ms, table,
 *       key_ring}}, 503 with the same body when a check fails; the key ring (active kid, its age, the next scheduled
 *       rotation, the published next key) is a dashboard's detail and never turns the status down;</li>
 *   <li>{@code GET /health/live}: 200 while the process runs — touches nothing;</li>
 *   <li>{@code GET /health/ready}: 200 when the table and key vault answer, else 503 with the
 *       standard error body ({@code SERVICE_UNAVAILABLE}, the failing checks in details).</li>
 * </ul>
 */
final class HealthEndpoints {

    private HealthEndpoints() {
    }

    static Router routes(CheckHealth checkHealth) {
        return Router.builder()
                .route("GET /health", request -> {
                    HealthReport report = checkHealth.check();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", name(report.status()));
                    body.put("version", report.version());
                    body.put("checks", checks(report));
                    Map<String, Long> latency = new LinkedHashMap<>();
                    report.checks().forEach((name, check) -> latency.put(name, check.latencyMillis()));
                    body.put("latency_ms", latency);
                    if (!checkHealth.tableName().isEmpty()) {
                        body.put("table", checkHealth.tableName());
                    }
                    checkHealth.keyRing().ifPresent(ring -> body.put("key_ring", keyRing(ring)));
                    return HttpResponse.json(report.status() == HealthReport.Status.UP ? 200 : 503, Json.write(body));
                })
                .route("GET /health/live", request -> HttpResponse.json(200, Json.write(Map.of("status", "up"))))
                .route("GET /health/ready", request -> {
                    HealthReport report = checkHealth.check();
                    if (report.status() == HealthReport.Status.UP) {
                        return HttpResponse.json(200, Json.write(Map.of("status", "up", "checks", checks(report))));
                    }
                    return ErrorResponses.body(ErrorCode.SERVICE_UNAVAILABLE, "Not ready: a dependency is down.",
                            Map.of("checks", checks(report)), request.requestId()).withHeader("retry-after", "5");
                })
                .build();
    }

    /** The key ring detail: public facts only (kids are in the JWKS), absent members when unknown. */
    private static Map<String, Object> keyRing(KeyRingStatus ring) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("status", name(ring.status()));
        ring.activeKid().ifPresent(kid -> detail.put("active_kid", kid));
        ring.activeAge().ifPresent(age -> detail.put("active_age_seconds", age.toSeconds()));
        ring.nextRotation().ifPresent(at -> detail.put("next_rotation_at", at.toString()));
        ring.nextKid().ifPresent(kid -> detail.put("next_kid", kid));
        detail.put("keys", ring.keys());
        return detail;
    }

    private static Map<String, String> checks(HealthReport report) {
        Map<String, String> checks = new LinkedHashMap<>();
        report.checks().forEach((name, check) -> checks.put(name, name(check.status())));
        return checks;
    }

    private static String name(HealthReport.Status status) {
        return status.name().toLowerCase(Locale.ROOT);
    }
}
