package dev.latchkey.functions.apikeys;

import dev.latchkey.core.access.Authorizer;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyCredits;
import dev.latchkey.core.apikey.ApiKeyOwnerData;
import dev.latchkey.core.apikey.ApiKeyPage;
import dev.latchkey.core.apikey.ApiKeyQuery;
import dev.latchkey.core.apikey.ApiKeyStatistics;
import dev.latchkey.core.apikey.ApiKeyUpdate;
import dev.latchkey.core.apikey.CreateApiKeyCommand;
import dev.latchkey.core.apikey.CreatedApiKey;
import dev.latchkey.core.apikey.CreditRefill;
import dev.latchkey.core.apikey.DailyVerifications;
import dev.latchkey.core.apikey.IpRange;
import dev.latchkey.core.apikey.ManageApiKeys;
import dev.latchkey.core.apikey.NamedRateLimit;
import dev.latchkey.core.apikey.Revocation;
import dev.latchkey.core.apikey.ShowVerificationAnalytics;
import dev.latchkey.core.apikey.Verification;
import dev.latchkey.core.apikey.VerificationOutcome;
import dev.latchkey.core.apikey.VerificationReport;
import dev.latchkey.core.apikey.VerifyApiKey;
import dev.latchkey.core.apikey.VerifyOptions;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.RequestException;
import dev.latchkey.core.http.RoutePermissions;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.login.CallerAuthentication;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The api-keys routes (API.md "api-keys"). Organization routes run authenticate ({@link CallerAuthentication}:
 * a user's access token or an API key, never from the query string) → authorize ({@link Authorizer}: the
 * route's permission from {@link #PERMISSIONS}, in the organization of the path) → parse the query or body
 * strictly → one {@link ManageApiKeys} use case → the response. So a caller that is not allowed learns
 * nothing from validation, and 401/403/404 never depend on the body.
 *
 * <ul>
 *   <li>{@code POST /v1/orgs/{orgId}/api-keys} → 201 with {@code key}, the only response that ever holds
 *       it;</li>
 *   <li>{@code GET …/api-keys} ({@code include_revoked, permission, limit, cursor}) → a page;</li>
 *   <li>{@code GET …/api-keys/stats} → counts;</li>
 *   <li>{@code GET …/api-keys/{keyId}} → details; {@code POST …/revoke} {@code {reason?}} → 200 details;
 *       {@code POST …/roll} {@code {previous_expires_in_seconds?}} → 201 details with the new {@code key};
 *       {@code DELETE …/{keyId}} → 204;</li>
 *   <li>{@code PATCH …/api-keys/{keyId}} {@code {external_id?, meta?, rate_limit?, rate_limits?, allowed_ips?}}
 *       → 200 details (docs/api-keys.md "Changing a key"; a field sent as null is removed);</li>
 *   <li>{@code GET …/api-keys/analytics} and {@code GET …/api-keys/{keyId}/analytics} ({@code from, to, outcome})
 *       → the daily verification counts of the organization or of one key;</li>
 *   <li>{@code POST …/{keyId}/credits} {@code {operation: set, remaining, refill?}}, {@code {operation: add,
 *       amount}} or {@code {operation: unlimited}} → 200 details (with {@code credits});</li>
 *   <li>{@code POST /v1/api-keys/verify} {@code {key, permission?, cost?}} (no caller credential) → 200
 *       {@code {valid:true, …}} or {@code {valid:false, code}}, with the key's rate-limit headers when it
 *       has a limit.</li>
 * </ul>
 * No response ever holds a hash; only create and roll hold a key, with {@code Cache-Control: no-store}.
 * Nothing here logs a request's body or headers.
 */
final class ApiKeysEndpoints {

    static final String CREATE = "POST /v1/orgs/{orgId}/api-keys";
    static final String LIST = "GET /v1/orgs/{orgId}/api-keys";
    static final String STATS = "GET /v1/orgs/{orgId}/api-keys/stats";
    static final String SHOW = "GET /v1/orgs/{orgId}/api-keys/{keyId}";
    static final String REVOKE = "POST /v1/orgs/{orgId}/api-keys/{keyId}/revoke";
    static final String ROLL = "POST /v1/orgs/{orgId}/api-keys/{keyId}/roll";
    static final String DELETE = "DELETE /v1/orgs/{orgId}/api-keys/{keyId}";
    static final String CREDITS = "POST /v1/orgs/{orgId}/api-keys/{keyId}/credits";
    static final String UPDATE = "PATCH /v1/orgs/{orgId}/api-keys/{keyId}";
    static final String ANALYTICS = "GET /v1/orgs/{orgId}/api-keys/analytics";
    static final String KEY_ANALYTICS = "GET /v1/orgs/{orgId}/api-keys/{keyId}/analytics";
    static final String VERIFY = "POST /v1/api-keys/verify";

    /**
     * The one route → permission table of the organization routes (docs/access-control.md "Routes"): the
     * handlers authorize with it and the endpoint × role matrix test derives its expectations from it.
     */
    static final Map<String, String> PERMISSIONS = RoutePermissions.of(
            CREATE, Permissions.API_KEY_CREATE,
            LIST, Permissions.API_KEY_READ,
            STATS, Permissions.API_KEY_READ,
            SHOW, Permissions.API_KEY_READ,
            REVOKE, Permissions.API_KEY_REVOKE,
            ROLL, Permissions.API_KEY_CREATE,
            CREDITS, Permissions.API_KEY_CREATE,
            UPDATE, Permissions.API_KEY_CREATE,
            ANALYTICS, Permissions.API_KEY_READ,
            KEY_ANALYTICS, Permissions.API_KEY_READ,
            DELETE, Permissions.API_KEY_DELETE);

    /** Every route, for the catalog. */
    static final List<String> ROUTES = List.of(CREATE, LIST, STATS, SHOW, REVOKE, ROLL, DELETE, CREDITS,
            UPDATE, ANALYTICS, KEY_ANALYTICS, VERIFY);

    private static final Set<String> ANALYTICS_PARAMETERS = Set.of("from", "to", "outcome");
    private static final Set<String> LIST_PARAMETERS = Set.of("include_revoked", "permission", "limit", "cursor",
            "external_id");
    private static final String NO_STORE = "no-store";
    /** The {@code details.reason} these routes have answered for an unknown query parameter since published. */
    private static final String UNKNOWN_REASON = "UNKNOWN";

    private ApiKeysEndpoints() {
    }

    /**
     * The use cases the routes call.
     *
     * @param callers who calls an organization route
     * @param authorizer may it, here
     * @param manage the management use cases
     * @param verify the verify use case
     * @param analytics the verification analytics
     * @param clock a key's state in responses
     */
    record UseCases(CallerAuthentication callers, Authorizer authorizer, ManageApiKeys manage, VerifyApiKey verify,
            ShowVerificationAnalytics analytics, Clock clock) {
    }

    /**
     * {@code {limit, window_seconds}}. Numbers are read as {@link Number} and checked by
     * {@link #whole}: Jackson would otherwise turn {@code 7.5} into an {@code Integer} 7.
     */
    record RateLimitBody(Number limit, Number windowSeconds) {
    }

    /** {@code {interval, amount, day_of_month?}}. */
    record RefillBody(String interval, Number amount, Number dayOfMonth) {
    }

    /** {@code {remaining, refill?}}. */
    record CreditsBody(Number remaining, RefillBody refill) {
    }

    /** {@code {name, limit, window_seconds}}. */
    record NamedRateLimitBody(String name, Number limit, Number windowSeconds) {
    }

    /**
     * {@code {name, permissions, description?, expires_in_days?, rate_limit?, rate_limits?, credits?, allowed_ips?,
     * external_id?, meta?}}.
     */
    record CreateBody(String name, List<String> permissions, String description, Number expiresInDays,
            RateLimitBody rateLimit, List<NamedRateLimitBody> rateLimits, CreditsBody credits,
            List<String> allowedIps, String externalId, JsonNode meta) {
    }

    /** Verify's {@code rate_limit}: {@code {name?, cost?}}. */
    record VerifyRateLimitBody(String name, Number cost) {
    }

    /** {@code {operation: set|add|unlimited, remaining?, refill?, amount?}}. */
    record CreditsChangeBody(String operation, Number remaining, RefillBody refill, Number amount) {
    }

    /** {@code {reason?}}. */
    record RevokeBody(String reason) {
    }

    /**
     * {@code {external_id?, meta?, rate_limit?, rate_limits?, allowed_ips?}}: read strictly for the types; which
     * fields are present (a null removes) is read from the tree.
     */
    record UpdateBody(String externalId, JsonNode meta, RateLimitBody rateLimit, List<NamedRateLimitBody> rateLimits,
            List<String> allowedIps) {
    }

    /** {@code {previous_expires_in_seconds?}}. */
    record RollBody(Number previousExpiresInSeconds) {
    }

    /** {@code {key, permission?, cost?, rate_limit?, ip?}}; printed without the key. */
    record VerifyBody(String key, String permission, Number cost, VerifyRateLimitBody rateLimit, String ip) {
        @Override
        public String toString() {
            return "VerifyBody[<redacted>, permission=" + permission + ", cost=" + cost + ", rate_limit="
                    + rateLimit + ", ip=" + ip + "]";
        }
    }

    static Router routes(UseCases useCases) {
        return Router.builder()
                .route(CREATE, request -> {
                    OrgAccess access = authorize(useCases, request, CREATE);
                    noQuery(request);
                    CreateBody body = Json.readBody(request, CreateBody.class);
                    Optional<RateLimit> rateLimit = Optional.ofNullable(body.rateLimit())
                            .map(r -> CreateApiKeyCommand.rateLimit(intValue("rate_limit.limit", r.limit()),
                                    intValue("rate_limit.window_seconds", r.windowSeconds())));
                    CreateApiKeyCommand command = new CreateApiKeyCommand(body.name(), body.permissions(),
                            Optional.ofNullable(body.description()),
                            Optional.ofNullable(intValue("expires_in_days", body.expiresInDays())), rateLimit,
                            Optional.ofNullable(body.credits()).map(ApiKeysEndpoints::credits),
                            namedRateLimits(body.rateLimits()), new ApiKeyOwnerData(
                                    ApiKeyOwnerData.ranges(body.allowedIps()), Optional.ofNullable(body.externalId()),
                                    meta(body.meta())));
                    CreatedApiKey created = useCases.manage().create(access, command, RequestOrigin.of(request));
                    return secret(201, created(created.key(), created.token().value()));
                })
                .route(LIST, request -> {
                    OrgAccess access = authorize(useCases, request, LIST);
                    Instant now = useCases.clock().instant();
                    Optional<String> externalId = request.queryParameter("external_id");
                    if (externalId.isPresent()) {
                        QueryParameters.only(request, Set.of("external_id", "limit"), UNKNOWN_REASON);
                        List<ApiKey> found = useCases.manage().listByExternalId(access, externalId.get(),
                                QueryParameters.limit(request, ApiKeyQuery.DEFAULT_LIMIT, ApiKeyQuery.MAX_LIMIT));
                        Map<String, Object> view = new LinkedHashMap<>();
                        view.put("api_keys", found.stream().map(k -> details(k, now)).toList());
                        view.put("next_cursor", null);
                        return HttpResponse.json(200, Json.write(view));
                    }
                    ApiKeyPage page = useCases.manage().list(access, listQuery(request));
                    Map<String, Object> view = new LinkedHashMap<>();
                    view.put("api_keys", page.keys().stream().map(k -> details(k, now)).toList());
                    view.put("next_cursor", page.nextCursor().orElse(null));
                    return HttpResponse.json(200, Json.write(view));
                })
                .route(STATS, request -> {
                    OrgAccess access = authorize(useCases, request, STATS);
                    noQuery(request);
                    return HttpResponse.json(200, Json.write(stats(useCases.manage().stats(access))));
                })
                .route(SHOW, request -> {
                    OrgAccess access = authorize(useCases, request, SHOW);
                    noQuery(request);
                    ApiKey key = useCases.manage().show(access, request.pathParameter("keyId"));
                    return HttpResponse.json(200, Json.write(details(key, useCases.clock().instant())));
                })
                .route(REVOKE, request -> {
                    OrgAccess access = authorize(useCases, request, REVOKE);
                    noQuery(request);
                    RevokeBody body = optionalBody(request, RevokeBody.class, new RevokeBody(null));
                    ApiKey key = useCases.manage().revoke(access, request.pathParameter("keyId"),
                            Optional.ofNullable(body.reason()), RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(details(key, useCases.clock().instant())));
                })
                .route(ROLL, request -> {
                    OrgAccess access = authorize(useCases, request, ROLL);
                    noQuery(request);
                    RollBody body = optionalBody(request, RollBody.class, new RollBody(null));
                    long grace = body.previousExpiresInSeconds() == null ? 0
                            : whole("previous_expires_in_seconds", body.previousExpiresInSeconds());
                    CreatedApiKey rolled = useCases.manage().roll(access, request.pathParameter("keyId"),
                            Duration.ofSeconds(grace), RequestOrigin.of(request));
                    Map<String, Object> view = details(rolled.key(), useCases.clock().instant());
                    view.put("key", rolled.token().value());
                    view.put("previous_expires_at", rolled.key().secrets().previousExpiresAt().map(Instant::toString)
                            .orElse(null));
                    return secret(201, view);
                })
                .route(DELETE, request -> {
                    OrgAccess access = authorize(useCases, request, DELETE);
                    noQuery(request);
                    useCases.manage().delete(access, request.pathParameter("keyId"), RequestOrigin.of(request));
                    return HttpResponse.noContent();
                })
                .route(CREDITS, request -> {
                    OrgAccess access = authorize(useCases, request, CREDITS);
                    noQuery(request);
                    CreditsChangeBody body = Json.readBody(request, CreditsChangeBody.class);
                    String keyId = request.pathParameter("keyId");
                    ApiKey key = switch (body.operation() == null ? "" : body.operation()) {
                        case "set" -> useCases.manage().setCredits(access, keyId, Optional.of(credits(
                                new CreditsBody(body.remaining(), body.refill()))), RequestOrigin.of(request));
                        case "unlimited" -> useCases.manage().setCredits(access, keyId, Optional.empty(),
                                RequestOrigin.of(request));
                        case "add" -> {
                            if (body.amount() == null) {
                                throw RequestException.invalid("Field 'amount' is required.",
                                        Map.of("field", "amount", "reason", "REQUIRED"));
                            }
                            yield useCases.manage().addCredits(access, keyId, whole("amount", body.amount()),
                                    RequestOrigin.of(request));
                        }
                        default -> throw RequestException.invalid("Field 'operation' is set, add or unlimited.",
                                Map.of("field", "operation", "reason", "INVALID_FORMAT"));
                    };
                    return HttpResponse.json(200, Json.write(details(key, useCases.clock().instant())));
                })
                .route(UPDATE, request -> {
                    OrgAccess access = authorize(useCases, request, UPDATE);
                    noQuery(request);
                    UpdateBody body = Json.readBody(request, UpdateBody.class);
                    ApiKey key = useCases.manage().update(access, request.pathParameter("keyId"),
                            update(body, Json.read(request.body(), JsonNode.class)), RequestOrigin.of(request));
                    return HttpResponse.json(200, Json.write(details(key, useCases.clock().instant())));
                })
                .route(ANALYTICS, request -> {
                    OrgAccess access = authorize(useCases, request, ANALYTICS);
                    VerificationReport report = useCases.analytics().forOrganization(access,
                            analyticsRange(useCases, request));
                    return HttpResponse.json(200, Json.write(report(report)));
                })
                .route(KEY_ANALYTICS, request -> {
                    OrgAccess access = authorize(useCases, request, KEY_ANALYTICS);
                    VerificationReport report = useCases.analytics().forKey(access, request.pathParameter("keyId"),
                            analyticsRange(useCases, request));
                    return HttpResponse.json(200, Json.write(report(report)));
                })
                .route(VERIFY, request -> {
                    noQuery(request);
                    VerifyBody body = Json.readBody(request, VerifyBody.class);
                    if (body.key() == null) {
                        throw RequestException.invalid("Field 'key' is required.",
                                Map.of("field", "key", "reason", "REQUIRED"));
                    }
                    VerifyRateLimitBody limit = body.rateLimit() == null ? new VerifyRateLimitBody(null, null)
                            : body.rateLimit();
                    if (body.ip() != null && IpRange.address(body.ip()).isEmpty()) {
                        throw RequestException.invalid("Field 'ip' is an IPv4 or IPv6 address.",
                                Map.of("field", "ip", "reason", "INVALID_FORMAT"));
                    }
                    VerifyOptions options = new VerifyOptions(body.cost() == null ? 1 : whole("cost", body.cost()),
                            Optional.ofNullable(limit.name()), limit.cost() == null ? 1
                                    : intValue("rate_limit.cost", limit.cost()), Optional.ofNullable(body.ip()));
                    Verification verification = useCases.verify().verify(body.key(),
                            Optional.ofNullable(body.permission()), options);
                    HttpResponse response = HttpResponse.json(200, Json.write(verification(verification)));
                    for (Map.Entry<String, String> header : verification.rateLimit().map(RateLimitDecision::headers)
                            .orElse(Map.of()).entrySet()) {
                        response = response.withHeader(header.getKey(), header.getValue());
                    }
                    return response;
                })
                .build();
    }

    /** Authenticates the caller and authorizes the route's permission in the path's organization. */
    private static OrgAccess authorize(UseCases useCases, HttpRequest request, String route) {
        Caller caller = useCases.callers().authenticate(request);
        return useCases.authorizer().authorize(caller, request.pathParameter("orgId"), PERMISSIONS.get(route),
                RequestOrigin.of(request));
    }

    /** The list route's query, strictly: known parameters, each once, a boolean that is a boolean. */
    static ApiKeyQuery listQuery(HttpRequest request) {
        QueryParameters.only(request, LIST_PARAMETERS, UNKNOWN_REASON);
        boolean includeRevoked = request.queryParameter("include_revoked").map(value -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw RequestException.invalid("Query 'include_revoked' is true or false.",
                        Map.of("field", "include_revoked", "reason", "INVALID_FORMAT"));
            }
            return Boolean.parseBoolean(value);
        }).orElse(false);
        int limit = QueryParameters.limit(request, ApiKeyQuery.DEFAULT_LIMIT, ApiKeyQuery.MAX_LIMIT);
        return new ApiKeyQuery(includeRevoked, request.queryParameter("permission"), limit,
                request.queryParameter("cursor"));
    }

    /** The analytics routes' query: {@code from}, {@code to}, {@code outcome}, each at most once. */
    private static ShowVerificationAnalytics.Range analyticsRange(UseCases useCases, HttpRequest request) {
        QueryParameters.only(request, ANALYTICS_PARAMETERS, UNKNOWN_REASON);
        return useCases.analytics().range(request.queryParameter("from"), request.queryParameter("to"),
                request.queryParameter("outcome"));
    }

    /**
     * The analytics answer: {@code {organization_id, key_id?, from, to, outcome, totals, days:[{date, <outcome>: n
     * …, total}]}}, every day of the range, zeros included; with {@code outcome} only that outcome's counts.
     */
    private static Map<String, Object> report(VerificationReport report) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("organization_id", report.organizationId());
        report.keyId().ifPresent(id -> view.put("key_id", id));
        view.put("from", report.from().toString());
        view.put("to", report.to().toString());
        view.put("outcome", report.outcome().map(VerificationOutcome::text).orElse(null));
        view.put("totals", counts(report.totals(), report.outcome()));
        view.put("days", report.days().stream().map(day -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("date", day.day().toString());
            row.putAll(counts(day, report.outcome()));
            return row;
        }).toList());
        return view;
    }

    private static Map<String, Object> counts(DailyVerifications day, Optional<VerificationOutcome> only) {
        Map<String, Object> view = new LinkedHashMap<>();
        for (VerificationOutcome outcome : VerificationOutcome.values()) {
            if (only.isEmpty() || only.get() == outcome) {
                view.put(outcome.text(), day.count(outcome));
            }
        }
        view.put("total", day.total());
        return view;
    }

    /** The update's fields: those present in the body; a null value removes the setting. */
    private static ApiKeyUpdate update(UpdateBody body, JsonNode tree) {
        Set<ApiKeyUpdate.Field> fields = java.util.EnumSet.noneOf(ApiKeyUpdate.Field.class);
        for (ApiKeyUpdate.Field field : ApiKeyUpdate.Field.values()) {
            if (tree.has(field.text())) {
                fields.add(field);
            }
        }
        Optional<RateLimit> rateLimit = Optional.ofNullable(body.rateLimit())
                .map(r -> CreateApiKeyCommand.rateLimit(intValue("rate_limit.limit", r.limit()),
                        intValue("rate_limit.window_seconds", r.windowSeconds())));
        List<NamedRateLimit> named = new java.util.ArrayList<>();
        for (NamedRateLimit limit : namedRateLimits(body.rateLimits())) {
            if (!limit.name().equals(NamedRateLimit.DEFAULT)) {
                named.add(limit);
            } else if (fields.contains(ApiKeyUpdate.Field.RATE_LIMIT)) {
                throw RequestException.invalid("Give 'rate_limit' or a rate limit named 'default', not both.",
                        Map.of("field", "rate_limits", "reason", "DUPLICATE"));
            } else {
                fields.add(ApiKeyUpdate.Field.RATE_LIMIT);
                rateLimit = Optional.of(limit.limit());
            }
        }
        return new ApiKeyUpdate(fields, Optional.ofNullable(body.externalId()), meta(body.meta()), rateLimit, named,
                ApiKeyOwnerData.ranges(body.allowedIps()));
    }

    /** Routes without query parameters refuse any (the credential check has run already). */
    private static void noQuery(HttpRequest request) {
        QueryParameters.only(request, Set.of(), UNKNOWN_REASON);
    }

    /**
     * A JSON number that must be whole: {@code 7.5} or {@code 1e3} is a 400 naming the field. A whole number
     * beyond {@code long} is clamped, so the use case's own range check answers it.
     */
    static long whole(String field, Number value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return value.longValue();
        }
        if (value instanceof BigInteger big) {
            return big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        throw RequestException.invalid("Field '" + field + "' is a whole number.",
                Map.of("field", field, "reason", "INVALID_FORMAT"));
    }

    /** {@link #whole}, clamped to {@code int}; null stays null. */
    private static Integer intValue(String field, Number value) {
        if (value == null) {
            return null;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, whole(field, value)));
    }

    /** A body that may be left out entirely (no bytes); when sent, it is JSON read strictly. */
    private static <T> T optionalBody(HttpRequest request, Class<T> type, T empty) {
        return request.bodyLength() == 0 ? empty : Json.readBody(request, type);
    }

    /** A response holding a key: never stored by any cache. */
    private static HttpResponse secret(int status, Map<String, Object> view) {
        return HttpResponse.json(status, Json.write(view)).withHeader("cache-control", NO_STORE)
                .withHeader("pragma", "no-cache");
    }

    /** Create's answer: the key once, and what was stored. */
    private static Map<String, Object> created(ApiKey key, String secret) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("key", secret);
        view.put("name", key.name());
        view.put("description", key.description().orElse(null));
        view.put("permissions", key.permissions());
        view.put("organization_id", key.organizationId());
        view.put("created_at", key.createdAt().toString());
        view.put("created_by", key.createdBy());
        view.put("expires_at", key.expiresAt().map(Instant::toString).orElse(null));
        view.put("rate_limit", rateLimit(key.rateLimit()));
        view.put("rate_limits", rateLimits(key));
        view.put("credits", credits(key, key.createdAt()));
        owner(view, key);
        return view;
    }

    /** The request's {@code meta}: a JSON object, kept as its compact text; null stays empty. */
    private static Optional<String> meta(JsonNode meta) {
        if (meta == null || meta.isNull()) {
            return Optional.empty();
        }
        if (!meta.isObject()) {
            throw RequestException.invalid("Field 'meta' is a JSON object.",
                    Map.of("field", "meta", "reason", "INVALID_FORMAT"));
        }
        return Optional.of(new String(Json.write(meta), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The owner data in responses: allow-list, external id and meta (as the object it was). */
    private static void owner(Map<String, Object> view, ApiKey key) {
        view.put("allowed_ips", key.owner().allowedIps().stream().map(IpRange::text).toList());
        view.put("external_id", key.owner().externalId().orElse(null));
        view.put("meta", key.owner().meta().map(text -> Json.mapper().readTree(text)).orElse(null));
    }

    /** The request's named rate limits, validated. */
    private static List<NamedRateLimit> namedRateLimits(List<NamedRateLimitBody> bodies) {
        if (bodies == null) {
            return List.of();
        }
        if (bodies.size() > NamedRateLimit.MAX_PER_KEY) {
            throw RequestException.invalid("A key has at most " + NamedRateLimit.MAX_PER_KEY + " rate limits.",
                    Map.of("field", "rate_limits", "reason", "TOO_MANY"));
        }
        return bodies.stream().map(body -> {
            if (body == null) {
                throw RequestException.invalid("Field 'rate_limits' holds objects.",
                        Map.of("field", "rate_limits", "reason", "INVALID_FORMAT"));
            }
            return new NamedRateLimit(body.name(), CreateApiKeyCommand.rateLimit(
                    intValue("rate_limits.limit", body.limit()),
                    intValue("rate_limits.window_seconds", body.windowSeconds())));
        }).toList();
    }

    /** The request's credits, validated. */
    private static ApiKeyCredits credits(CreditsBody body) {
        Optional<CreditRefill> refill = Optional.ofNullable(body.refill()).map(r -> CreateApiKeyCommand.refill(
                r.interval(), r.amount() == null ? null : whole("credits.refill.amount", r.amount()),
                intValue("credits.refill.day_of_month", r.dayOfMonth())));
        return CreateApiKeyCommand.credits(body.remaining() == null ? null
                : whole("credits.remaining", body.remaining()), refill);
    }

    /**
     * A key's credits as they are at {@code now} (a refill that is due shows applied: refilled lazily on read), or
     * null for a key without credits.
     */
    private static Map<String, Object> credits(ApiKey key, Instant now) {
        if (key.credits().isEmpty()) {
            return null;
        }
        ApiKeyCredits credits = key.credits().get().at(now);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("remaining", credits.remaining());
        view.put("refill", credits.refill().map(r -> {
            Map<String, Object> refill = new LinkedHashMap<>();
            refill.put("interval", r.interval().text());
            refill.put("amount", r.amount());
            refill.put("day_of_month", r.dayOfMonth().orElse(null));
            return refill;
        }).orElse(null));
        view.put("refilled_at", credits.refilledAt().map(Instant::toString).orElse(null));
        view.put("next_refill_at", credits.nextRefillAt(now).map(Instant::toString).orElse(null));
        return view;
    }

    /** A key as shown by show, list, revoke and roll: never its secret or a hash. */
    static Map<String, Object> details(ApiKey key, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", key.id());
        view.put("name", key.name());
        view.put("description", key.description().orElse(null));
        view.put("permissions", key.permissions());
        view.put("organization_id", key.organizationId());
        view.put("state", key.state(now).text());
        view.put("created_at", key.createdAt().toString());
        view.put("created_by", key.createdBy());
        view.put("expires_at", key.expiresAt().map(Instant::toString).orElse(null));
        view.put("last_used_at", key.lastUsedAt().map(Instant::toString).orElse(null));
        view.put("use_count", key.useCount());
        view.put("revoked_at", key.revocation().map(r -> r.revokedAt().toString()).orElse(null));
        view.put("revoked_by", key.revocation().map(Revocation::revokedBy).orElse(null));
        view.put("revoke_reason", key.revocation().flatMap(Revocation::reason).orElse(null));
        view.put("rate_limit", rateLimit(key.rateLimit()));
        view.put("rate_limits", rateLimits(key));
        view.put("credits", credits(key, now));
        owner(view, key);
        return view;
    }

    /** Every rate limit of the key, the default one (its {@code rate_limit}) first. */
    private static List<Map<String, Object>> rateLimits(ApiKey key) {
        return key.allRateLimits().stream().map(limit -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", limit.name());
            view.putAll(rateLimit(Optional.of(limit.limit())));
            return view;
        }).toList();
    }

    private static Map<String, Object> rateLimit(Optional<RateLimit> limit) {
        if (limit.isEmpty()) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("limit", limit.get().limit());
        view.put("window_seconds", limit.get().window().toSeconds());
        return view;
    }

    private static Map<String, Object> stats(ApiKeyStatistics statistics) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("total", statistics.total());
        view.put("by_state", statistics.byState());
        view.put("by_permission", statistics.byPermission());
        view.put("total_uses", statistics.totalUses());
        view.put("last_used_at", statistics.lastUsedAt().map(Instant::toString).orElse(null));
        view.put("truncated", statistics.truncated());
        return view;
    }

    /**
     * Verify's answer: for a valid key what a service needs to serve its caller; otherwise only the code. A
     * key's other states are told only to a holder of its secret (the use case answers {@code NOT_FOUND} for
     * anything else), and the key itself is never echoed.
     */
    static Map<String, Object> verification(Verification verification) {
        Map<String, Object> view = new LinkedHashMap<>();
        if (verification.failure().isPresent()) {
            view.put("valid", false);
            view.put("code", verification.failure().get().name());
            verification.creditsRemaining().ifPresent(left -> view.put("credits_remaining", left));
            return view;
        }
        ApiKey key = verification.key().orElseThrow();
        view.put("valid", true);
        view.put("key_id", key.id());
        view.put("org_id", key.organizationId());
        view.put("name", key.name());
        view.put("permissions", key.permissions());
        view.put("expires_at", key.expiresAt().map(Instant::toString).orElse(null));
        view.put("rate_limit", verification.rateLimit().map(ApiKeysEndpoints::decision).orElse(null));
        view.put("credits_remaining", verification.creditsRemaining().isPresent()
                ? verification.creditsRemaining().getAsLong() : null);
        view.put("external_id", key.owner().externalId().orElse(null));
        view.put("meta", key.owner().meta().map(text -> Json.mapper().readTree(text)).orElse(null));
        return view;
    }

    private static Map<String, Object> decision(RateLimitDecision decision) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("limit", decision.limit());
        view.put("remaining", decision.remaining());
        view.put("reset", decision.resetAt().getEpochSecond());
        return view;
    }
}
