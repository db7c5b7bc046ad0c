package dev.latchkey.infrastructure.metrics;

import dev.latchkey.infrastructure.deploy.ApiCatalog;
import java.util.Set;
import java.util.TreeSet;

/**
 * A metric dimension and the closed set of values it may take. Every value is checked against that set before it
 * reaches a sink ({@link #bounded}); anything else becomes {@value #OTHER}. So no dimension can ever carry a user id,
 * an email address, a key or client id, an IP address or a raw path: cardinality is bounded by construction
 * ({@code MetricCardinalityTest}).
 */
public enum Dimension {

    /** The function's bean name ({@link ApiCatalog}). */
    FUNCTION("Function", "function", functionNames()),
    /** API Gateway's route key, a template such as {@code GET /v1/orgs/{orgId}}, or {@code $default}. */
    ROUTE("Route", "route", ApiCatalog.routeKeys()),
    /** {@code 2xx}, {@code 4xx}, … */
    STATUS_CLASS("StatusClass", "status_class", Set.of("1xx", "2xx", "3xx", "4xx", "5xx")),
    /** How a user signed in. */
    METHOD("Method", "method", Set.of("password", "passkey")),
    /** What came of an attempt. */
    OUTCOME("Outcome", "outcome", Set.of("succeeded", "failed", "throttled", "mfa_required", "changed")),
    /** What a second factor was checked for ({@code SecondFactorVerifier}'s purposes). */
    PURPOSE("Purpose", "purpose", Set.of("login", "enrolment", "re-enrolment", "step_up")),
    /** The WebAuthn ceremony. */
    CEREMONY("Ceremony", "ceremony", Set.of("registration", "authentication")),
    /** How a token was obtained. */
    GRANT_TYPE("GrantType", "grant_type", Set.of("login", "refresh_token", "client_credentials", "jwt_bearer",
            "token_exchange", "authorization_code")),
    /** An API-key verification's answer: {@code valid}, a {@code VerificationFailure} in lower case, or an error. */
    RESULT("Result", "result", Set.of("valid", "not_found", "revoked", "expired", "rate_limited", "permission_denied",
            "usage_exceeded", "ip_not_allowed", "invalid_request", "error")),
    /** A dependency failure: {@code throttled} (after the SDK's retries) or {@code failed} (anything else). */
    KIND("Kind", "kind", Set.of("throttled", "failed"));

    /** What a value outside the closed set becomes. */
    public static final String OTHER = "other";

    private final String emfName;
    private final String label;
    private final Set<String> values;

    Dimension(String emfName, String label, Set<String> values) {
        this.emfName = emfName;
        this.label = label;
        this.values = Set.copyOf(values);
    }

    /** The dimension's name in CloudWatch (EMF). */
    public String emfName() {
        return emfName;
    }

    /** The label's name in Prometheus. */
    public String label() {
        return label;
    }

    /** Every value the dimension may take, {@value #OTHER} aside. */
    public Set<String> allowed() {
        return new TreeSet<>(values);
    }

    /** {@code value} when it is one of {@link #allowed()}, else {@value #OTHER}. */
    public String bounded(String value) {
        return value != null && values.contains(value) ? value : OTHER;
    }

    private static Set<String> functionNames() {
        Set<String> names = new TreeSet<>();
        ApiCatalog.functions().forEach(f -> names.add(f.name()));
        return names;
    }
}
