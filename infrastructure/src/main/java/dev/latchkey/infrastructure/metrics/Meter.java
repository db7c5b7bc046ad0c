package dev.latchkey.infrastructure.metrics;

import static dev.latchkey.infrastructure.metrics.Dimension.CEREMONY;
import static dev.latchkey.infrastructure.metrics.Dimension.FUNCTION;
import static dev.latchkey.infrastructure.metrics.Dimension.GRANT_TYPE;
import static dev.latchkey.infrastructure.metrics.Dimension.KIND;
import static dev.latchkey.infrastructure.metrics.Dimension.METHOD;
import static dev.latchkey.infrastructure.metrics.Dimension.OUTCOME;
import static dev.latchkey.infrastructure.metrics.Dimension.PURPOSE;
import static dev.latchkey.infrastructure.metrics.Dimension.RESULT;
import static dev.latchkey.infrastructure.metrics.Dimension.ROUTE;
import static dev.latchkey.infrastructure.metrics.Dimension.STATUS_CLASS;

import java.util.List;

/**
 * Every metric Latchkey records: its CloudWatch name and unit, its Prometheus name, its dimensions and the dimension
 * sets CloudWatch aggregates it by (EMF rollups; the alarms and the dashboard read those). docs/operations.md
 * "Metrics" lists them; {@code MetricCatalogTest} keeps the two and the alarms in step.
 */
public enum Meter {

    /** One per HTTP request a function answered. */
    REQUESTS("Requests", Unit.COUNT, "latchkey_requests_total", List.of(FUNCTION, ROUTE, STATUS_CLASS),
            List.of(List.of(FUNCTION, ROUTE, STATUS_CLASS), List.of(FUNCTION, STATUS_CLASS), List.of(STATUS_CLASS),
                    List.of())),
    /** Time inside the function per request, milliseconds. */
    LATENCY("Latency", Unit.MILLISECONDS, "latchkey_request_latency_seconds", REQUESTS.dimensions, REQUESTS.rollups),
    /** 429 answers (Latchkey's own rate limits and throttles that answer 429). */
    RATE_LIMIT_REJECTIONS("RateLimitRejections", Unit.COUNT, "latchkey_rate_limit_rejections_total",
            List.of(FUNCTION, ROUTE), List.of(List.of(FUNCTION, ROUTE), List.of())),
    /** Sign-in attempts by password or passkey: succeeded, failed, throttled (locked), mfa_required. */
    LOGINS("Logins", Unit.COUNT, "latchkey_logins_total", List.of(FUNCTION, METHOD, OUTCOME),
            List.of(List.of(FUNCTION, METHOD, OUTCOME), List.of(OUTCOME))),
    /** Second-factor checks (TOTP or recovery code): succeeded, failed, throttled. */
    MFA_VERIFICATIONS("MfaVerifications", Unit.COUNT, "latchkey_mfa_verifications_total",
            List.of(FUNCTION, PURPOSE, OUTCOME), List.of(List.of(FUNCTION, PURPOSE, OUTCOME), List.of(OUTCOME))),
    /** Passkey ceremonies: authentication succeeded or failed, registration failed (successes: see the docs). */
    PASSKEY_CEREMONIES("PasskeyCeremonies", Unit.COUNT, "latchkey_passkey_ceremonies_total",
            List.of(FUNCTION, CEREMONY, OUTCOME), List.of(List.of(FUNCTION, CEREMONY, OUTCOME),
                    List.of(CEREMONY, OUTCOME))),
    /** Access tokens issued, by how they were obtained. */
    TOKENS_ISSUED("TokensIssued", Unit.COUNT, "latchkey_tokens_issued_total", List.of(FUNCTION, GRANT_TYPE),
            List.of(List.of(FUNCTION, GRANT_TYPE), List.of(GRANT_TYPE))),
    /** {@code POST /v1/api-keys/verify} answers by result. */
    API_KEY_VERIFICATIONS("ApiKeyVerifications", Unit.COUNT, "latchkey_api_key_verifications_total",
            List.of(FUNCTION, RESULT), List.of(List.of(FUNCTION, RESULT), List.of(RESULT))),
    /** DynamoDB calls that failed after the SDK's retries. */
    DYNAMODB_ERRORS("DynamoDbErrors", Unit.COUNT, "latchkey_dynamodb_errors_total", List.of(FUNCTION, KIND),
            List.of(List.of(FUNCTION, KIND), List.of(KIND))),
    /** KMS calls that failed after the SDK's retries. */
    KEY_VAULT_ERRORS("KeyVaultErrors", Unit.COUNT, "latchkey_key_vault_errors_total", List.of(FUNCTION, KIND),
            List.of(List.of(FUNCTION, KIND), List.of(KIND))),
    /** Rotation passes that changed the signing-key ring. */
    KEY_ROTATIONS("KeyRotations", Unit.COUNT, "latchkey_key_rotations_total", List.of(FUNCTION, OUTCOME),
            List.of(List.of(FUNCTION, OUTCOME), List.of(OUTCOME)));

    /** A CloudWatch unit. */
    public enum Unit {
        /** A count. */
        COUNT("Count"),
        /** A duration in milliseconds. */
        MILLISECONDS("Milliseconds");

        private final String emfName;

        Unit(String emfName) {
            this.emfName = emfName;
        }

        /** The unit's name in EMF. */
        public String emfName() {
            return emfName;
        }
    }

    private final String emfName;
    private final Unit unit;
    private final String prometheusName;
    private final List<Dimension> dimensions;
    private final List<List<Dimension>> rollups;

    Meter(String emfName, Unit unit, String prometheusName, List<Dimension> dimensions,
            List<List<Dimension>> rollups) {
        this.emfName = emfName;
        this.unit = unit;
        this.prometheusName = prometheusName;
        this.dimensions = List.copyOf(dimensions);
        this.rollups = rollups.stream().map(List::copyOf).toList();
    }

    /** The metric's name in CloudWatch. */
    public String emfName() {
        return emfName;
    }

    /** Its CloudWatch unit. */
    public Unit unit() {
        return unit;
    }

    /** Its name in Prometheus text format (a counter's {@code _total}, a timer's {@code _seconds}). */
    public String prometheusName() {
        return prometheusName;
    }

    /** Every dimension a sample of it carries, in order. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /** The dimension sets CloudWatch aggregates it by (each a subset of {@link #dimensions()}). */
    public List<List<Dimension>> rollups() {
        return rollups;
    }

    /** Whether it measures time (a Prometheus timer) rather than counting. */
    public boolean isTimer() {
        return unit == Unit.MILLISECONDS;
    }
}
