package dev.latchkey.functions.orgs;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.AuditPage;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.http.HttpRequest;
import dev.latchkey.core.http.HttpResponse;
import dev.latchkey.core.http.Json;
import dev.latchkey.core.http.QueryParameters;
import dev.latchkey.core.http.RequestException;
import dev.latchkey.core.http.Router;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/orgs/{orgId}/audit-events} ({@code audit_log:view}): the organization's audit log, newest first,
 * one page at a time. Filters: {@code actor} (an actor id such as {@code usr_…}, {@code key_…}, {@code cli_…}),
 * {@code action} (an action code, or a prefix ending in {@code .} such as {@code member.}), {@code from}
 * (inclusive) and {@code to} (exclusive) as ISO-8601 instants, {@code limit} (1–100, default 50) and the previous
 * page's {@code next_cursor}. A tenant reads only its own events: the organization comes from the authorized path,
 * and a cursor of another organization or another query is refused (SECURITY.md "Audit").
 *
 * <p>There is no route that changes or deletes an event, and the IAM policies deny {@code UpdateItem} and
 * {@code DeleteItem} on {@code AUDIT#} items to every function.
 */
final class AuditEndpoints {

    static final String LIST = "GET /v1/orgs/{orgId}/audit-events";

    /** The route → permission table of this area. */
    static final Map<String, String> PERMISSIONS = Map.of(LIST, Permissions.AUDIT_LOG_VIEW);

    private static final Set<String> PARAMETERS = Set.of("actor", "action", "from", "to", "limit", "cursor");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");

    private AuditEndpoints() {
    }

    /** The routes over the audit log. */
    static void register(Router.Builder routes, OrgRoutes shared, AuditLog audit) {
        routes.route(LIST, request -> {
            OrgAccess access = shared.authorize(request, PERMISSIONS.get(LIST));
            AuditPage page = audit.find(access.organizationId(), query(request));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("events", page.events().stream().map(AuditEndpoints::view).toList());
            body.put("next_cursor", page.nextCursor().orElse(null));
            return HttpResponse.json(200, Json.write(body));
        });
    }

    /** The query string, strictly: known parameters, each at most once. */
    static AuditQuery query(HttpRequest request) {
        QueryParameters.only(request, PARAMETERS);
        AuditQuery.Builder query = AuditQuery.builder();
        request.queryParameter("actor").ifPresent(query::actorId);
        request.queryParameter("action").ifPresent(query::action);
        request.queryParameter("from").ifPresent(value -> query.from(instant("from", value)));
        request.queryParameter("to").ifPresent(value -> query.to(instant("to", value)));
        request.queryParameter("limit").ifPresent(value -> {
            if (!LIMIT.matcher(value).matches()) {
                throw RequestException.invalid("Query 'limit' is a whole number, " + AuditQuery.MIN_LIMIT + " to "
                        + AuditQuery.MAX_LIMIT + ".", Map.of("field", "limit", "reason", "INVALID_FORMAT"));
            }
            query.limit(Integer.parseInt(value));
        });
        request.queryParameter("cursor").ifPresent(query::cursor);
        return query.build();
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw RequestException.invalid("Query '" + field + "' is an ISO-8601 instant such as "
                    + "2026-11-26T00:00:00Z.", Map.of("field", field, "reason", "INVALID_FORMAT"));
        }
    }

    /** One event as the API shows it: ids and codes only (events never hold secrets or email addresses). */
    static Map<String, Object> view(AuditEvent event) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", event.eventId());
        view.put("occurred_at", event.occurredAt().toString());
        view.put("action", event.action());
        view.put("outcome", event.outcome().name().toLowerCase(Locale.ROOT));
        view.put("actor", Map.of("type", event.actor().type().name().toLowerCase(Locale.ROOT),
                "id", event.actor().id()));
        view.put("target", event.target().map(t -> Map.of("type", t.type(), "id", t.id())).orElse(null));
        view.put("source_ip", event.sourceIp().orElse(null));
        view.put("request_id", event.requestId());
        view.put("details", event.details());
        return view;
    }
}
