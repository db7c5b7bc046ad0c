package dev.latchkey.infrastructure.audit;

import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.ActorType;
import dev.latchkey.core.audit.AuditCursor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditException;
import dev.latchkey.core.audit.AuditLog;
import dev.latchkey.core.audit.AuditPage;
import dev.latchkey.core.audit.AuditQuery;
import dev.latchkey.core.audit.IssuanceSummaries;
import dev.latchkey.core.audit.Outcome;
import dev.latchkey.core.audit.Target;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The audit log in the single table, one item per event, through the low-level DynamoDB client.
 *
 * <p><b>Keys.</b> {@code pk = AUDIT#<scope>#<yyyy-MM>} (the organization id, or
 * {@link AuditLog#NO_ORGANIZATION} for events without one; the UTC month of {@code occurredAt}),
 * {@code sk = }{@link AuditEvent#orderKey()} ({@code 2025-01-31T23:59:59.999Z#evt_…}): fixed-width
 * time first, so sort-key order is time order. A month partition bounds an item collection's growth
 * and lets retention drop whole months; no index is used.
 *
 * <p><b>Append-only.</b> {@link #record} is one {@code PutItem} with {@code attribute_not_exists(pk)}:
 * there is no update or delete path, and a second write of the same event (same scope, time and
 * event id) is refused as {@code CONFLICT}, never overwritten.
 *
 * <p><b>Retention.</b> None by default: items carry no {@code expiresAt} and stay until someone
 * deletes them. How long audit records are kept is a deployment (legal) decision; pass a retention to
 * the constructor to set {@code expiresAt = occurredAt + retention} on new items, which the table's
 * TTL then deletes (lazily: reads skip expired items in code).
 *
 * <p><b>Reads.</b> {@link #find} queries the month partitions newest first ({@code ScanIndexForward=false},
 * eventually consistent), from the month of {@code to} (or now) back to the month of {@code from}, at
 * most {@value AuditQuery#MAX_MONTHS} months per query. The time range is a key condition on
 * {@code sk}; the actor and action filters are a {@code FilterExpression}, applied after DynamoDB has
 * read (and billed) the items. An unfiltered page costs one {@code Query} per month partition it
 * touches; a filtered page may need more and stops after {@value #MAX_QUERIES_PER_PAGE} requests (twice that
 * with issuance summaries, two partitions a month), so <em>a filtered page can be short, or empty, and still carry
 * a cursor</em>: the cursor (scope, month, last key read) continues exactly where reading stopped.
 *
 * <p><b>Issuance summaries</b> (when built {@link #withIssuanceSummaries()}, as the runtime does): a successful
 * token issue ({@link IssuanceSummaries#summarized}) is not a {@code PutItem} of its own but one {@code UpdateItem}
 * of its minute's summary item ({@code pk = ISSUED#<org>#<yyyy-MM>}, {@code sk = <minute>#evt_<digest of the group>},
 * the group including the source address: {@code ADD count :1}, the group's attributes and the first request id if
 * absent, the last time and request id always; no condition), outside the {@code AUDIT#} prefix that IAM keeps
 * append-only. {@link #find} then reads both partitions of a month
 * and merges them by sort key (one more {@code Query} per month touched); a summary reads as one event at its
 * minute's start, with its source address, and the details {@code count}, {@code last_at} and
 * {@code last_request_id} ({@code source_ips} too for a summary written before summaries were grouped by address).
 *
 * <p><b>Failures.</b> Throttling, 5xx answers, a missing table and network errors (after the SDK's
 * retries) become {@link StoreUnavailableException} (503). Other 4xx answers are bugs and propagate.
 */
public final class DynamoDbAuditLog implements AuditLog {

    /** Most {@code Query} requests one page may send. */
    public static final int MAX_QUERIES_PER_PAGE = 30;
    /** Items a filtered {@code Query} request evaluates at most (its {@code Limit}). */
    public static final int FILTERED_QUERY_LIMIT = 200;

    static final String EVENT_ID = "eventId";
    static final String ORGANIZATION_ID = "organizationId";
    static final String ACTOR_TYPE = "actorType";
    static final String ACTOR_ID = "actorId";
    static final String ACTION = "action";
    static final String TARGET_TYPE = "targetType";
    static final String TARGET_ID = "targetId";
    static final String OCCURRED_AT = "occurredAt";
    static final String SOURCE_IP = "sourceIp";
    static final String REQUEST_ID = "requestId";
    static final String OUTCOME = "outcome";
    static final String DETAILS = "details";
    static final String COUNT = "count";
    static final String SOURCE_IPS = "sourceIps";
    static final String LAST_AT = "lastAt";
    static final String LAST_REQUEST_ID = "lastRequestId";

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbAuditLog.class);

    private final DynamoDbClient client;
    private final String tableName;
    private final Clock clock;
    private final Optional<Duration> retention;
    private final int maxQueriesPerPage;
    private final int filteredQueryLimit;
    private final boolean summaries;

    /**
     * An audit log that keeps events until deleted.
     *
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param clock ends queries without {@code to}
     */
    public DynamoDbAuditLog(DynamoDbClient client, String tableName, Clock clock) {
        this(client, tableName, clock, Optional.empty());
    }

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param clock ends queries without {@code to}, and decides which items have expired
     * @param retention when present, new items expire (TTL {@code expiresAt}) this long after they occurred
     */
    public DynamoDbAuditLog(DynamoDbClient client, String tableName, Clock clock, Optional<Duration> retention) {
        this(client, tableName, clock, retention, MAX_QUERIES_PER_PAGE, FILTERED_QUERY_LIMIT);
    }

    /** With a smaller read budget, so tests can reach it with few items. */
    DynamoDbAuditLog(DynamoDbClient client, String tableName, Clock clock, Optional<Duration> retention,
            int maxQueriesPerPage, int filteredQueryLimit) {
        this(client, tableName, clock, retention, maxQueriesPerPage, filteredQueryLimit, false);
    }

    private DynamoDbAuditLog(DynamoDbClient client, String tableName, Clock clock, Optional<Duration> retention,
            int maxQueriesPerPage, int filteredQueryLimit, boolean summaries) {
        this.summaries = summaries;
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        retention.ifPresent(value -> {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("retention must be positive");
            }
        });
        this.maxQueriesPerPage = maxQueriesPerPage;
        this.filteredQueryLimit = filteredQueryLimit;
    }

    /**
     * The same log, keeping successful token issues as per-minute summaries (see the class comment) and reading
     * them back in {@link #find}.
     */
    public DynamoDbAuditLog withIssuanceSummaries() {
        return new DynamoDbAuditLog(client, tableName, clock, retention, maxQueriesPerPage, filteredQueryLimit, true);
    }

    /** The partition key of {@code scope}'s events in {@code month}. */
    static String partitionKey(String scope, YearMonth month) {
        return Keys.auditPk(scope, month.toString());
    }

    @Override
    public void record(AuditEvent event) {
        String scope = event.organizationId().orElse(NO_ORGANIZATION);
        if (summaries && IssuanceSummaries.summarized(event)) {
            summarize(scope, event);
            return;
        }
        try {
            client.putItem(PutItemRequest.builder()
                    .tableName(tableName)
                    .item(toItem(scope, event))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw AuditException.duplicate();
        } catch (SdkException e) {
            throw unavailableOrBug(e);
        }
    }

    /**
     * Adds {@code event} to its minute's summary: one unconditional {@code UpdateItem}, whatever the summary holds
     * (its group includes the source address, so a token to a new address starts a summary of its own).
     */
    private void summarize(String scope, AuditEvent event) {
        Instant minute = event.occurredAt().truncatedTo(ChronoUnit.MINUTES);
        String eventId = summaryId(scope, minute, event);
        YearMonth month = YearMonth.from(minute.atOffset(ZoneOffset.UTC));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        AuditEvent.Builder group = AuditEvent.builder().eventId(eventId)
                .organizationId(event.organizationId()).actor(event.actor()).action(event.action())
                .occurredAt(minute).requestId(event.requestId()).outcome(event.outcome()).details(event.details());
        event.target().ifPresent(group::target);
        event.sourceIp().ifPresent(group::sourceIp);
        Map<String, AttributeValue> fixed = toItem(scope, group.build());
        fixed.remove(LatchkeyTable.PK);
        fixed.remove(LatchkeyTable.SK);
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : fixed.entrySet()) {
            names.put("#f" + i, attribute.getKey());
            values.put(":f" + i, attribute.getValue());
            set.add("#f" + i + " = if_not_exists(#f" + i + ", :f" + i + ")");
            i++;
        }
        names.put("#lastAt", LAST_AT);
        values.put(":lastAt", AttributeValue.fromS(AuditEvent.formatTime(event.occurredAt())));
        set.add("#lastAt = :lastAt");
        names.put("#lastRequest", LAST_REQUEST_ID);
        values.put(":lastRequest", AttributeValue.fromS(event.requestId()));
        set.add("#lastRequest = :lastRequest");
        names.put("#count", COUNT);
        values.put(":one", AttributeValue.fromN("1"));
        try {
            client.updateItem(UpdateItemRequest.builder()
                    .tableName(tableName)
                    .key(Keys.key(Keys.issuedPk(scope, month.toString()),
                            AuditEvent.formatTime(minute) + "#" + eventId))
                    .updateExpression("SET " + String.join(", ", set) + " ADD #count :one")
                    .expressionAttributeNames(names).expressionAttributeValues(values).build());
        } catch (SdkException e) {
            throw unavailableOrBug(e);
        }
    }

    /**
     * The summary's id: a digest of its group (scope, minute, actor, action, target, source address, details),
     * {@code evt_…}.
     */
    private static String summaryId(String scope, Instant minute, AuditEvent event) {
        StringBuilder group = new StringBuilder().append(scope).append('\n').append(minute).append('\n')
                .append(event.actor().type()).append('\n').append(event.actor().id()).append('\n')
                .append(event.action()).append('\n')
                .append(event.target().map(t -> t.type() + "\n" + t.id()).orElse("-")).append('\n')
                .append(event.sourceIp().orElse("-")).append('\n');
        new java.util.TreeMap<>(event.details()).forEach((k, v) -> group.append(k).append('=').append(v).append('\n'));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(group.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "evt_s" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The same conditional put as {@link #record}, as an item of a {@code TransactWriteItems} request,
     * for a use case that must write its change and its audit event atomically (for example sign-up).
     * A duplicate then cancels the whole transaction ({@code ConditionalCheckFailed} on this item).
     */
    public TransactWriteItem transactWriteItem(AuditEvent event) {
        String scope = event.organizationId().orElse(NO_ORGANIZATION);
        return TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(toItem(scope, event))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))
                .build()).build();
    }

    @Override
    public AuditPage find(String organizationId, AuditQuery query) {
        return page(AuditLog.scopeOf(organizationId), query);
    }

    @Override
    public AuditPage findWithoutOrganization(AuditQuery query) {
        return page(NO_ORGANIZATION, query);
    }

    private AuditPage page(String scope, AuditQuery query) {
        List<YearMonth> months = query.months(clock);
        Optional<AuditCursor> cursor = query.cursor().map(text -> AuditCursor.decode(text, scope));
        if (cursor.isPresent()) {
            YearMonth cursorMonth = cursor.get().month();
            if (months.isEmpty() || cursorMonth.isAfter(months.get(0))) {
                throw AuditException.invalidCursor();
            }
            months = months.stream().filter(month -> !month.isAfter(cursorMonth)).toList();
        }
        Optional<String> lower = query.from().map(AuditEvent::formatTime);
        Optional<String> upper = query.to().map(AuditEvent::formatTime);
        Instant now = clock.instant();
        List<AuditEvent> events = new ArrayList<>();
        int requests = 0;
        for (int i = 0; i < months.size(); i++) {
            YearMonth month = months.get(i);
            String pk = partitionKey(scope, month);
            Optional<String> after = cursor.filter(c -> c.month().equals(month)).flatMap(AuditCursor::after);
            if (after.isPresent() && upper.isPresent() && after.get().compareTo(upper.get()) > 0) {
                after = Optional.empty(); // the range ends before the cursor: start at the range's end
            }
            if (after.isPresent() && lower.isPresent() && after.get().compareTo(lower.get()) < 0) {
                break; // the cursor is already past the range's start: nothing older is in range
            }
            List<Source> sources = new ArrayList<>();
            sources.add(new Source(pk, after.map(sk -> Keys.key(pk, sk)).orElse(null)));
            if (summaries) {
                String issued = Keys.issuedPk(scope, month.toString());
                sources.add(new Source(issued, after.map(sk -> Keys.key(issued, sk)).orElse(null)));
            }
            Optional<String> consumed = after;
            while (true) {
                for (Source source : sources) {
                    while (source.buffer.isEmpty() && !source.done) {
                        if (requests == maxQueriesPerPage * sources.size()) {
                            // Out of read budget: the next page resumes where reading stopped.
                            return new AuditPage(events, Optional.of(new AuditCursor(scope, month,
                                    resumeAfter(sources, consumed)).encode()));
                        }
                        int needed = query.limit() - events.size();
                        QueryResponse response = query(queryRequest(source.pk, lower, upper, query, needed,
                                source.startKey));
                        requests++;
                        source.started = true;
                        source.buffer.addAll(response.items());
                        source.startKey = hasMore(response) ? response.lastEvaluatedKey() : null;
                        source.done = source.startKey == null;
                    }
                }
                Source next = null;
                for (Source source : sources) {
                    if (!source.buffer.isEmpty() && (next == null
                            || sk(source.buffer.peekFirst()).compareTo(sk(next.buffer.peekFirst())) > 0)) {
                        next = source;
                    }
                }
                if (next == null) {
                    break;
                }
                Map<String, AttributeValue> item = next.buffer.pollFirst();
                consumed = Optional.of(sk(item));
                if (expired(item, now)) {
                    continue;
                }
                AuditEvent event = toEvent(item);
                events.add(event);
                if (events.size() == query.limit()) {
                    boolean more = sources.stream().anyMatch(source -> !source.buffer.isEmpty() || !source.done)
                            || i < months.size() - 1;
                    return new AuditPage(events, more ? Optional.of(AuditCursor.after(scope, event).encode())
                            : Optional.empty());
                }
            }
        }
        return new AuditPage(events, Optional.empty());
    }

    /**
     * Where a page out of read budget resumes: after the lowest key an unfinished partition's reading reached, when
     * every item not yet returned lies below it (always so with one partition, as DynamoDB's filter may have read
     * past the last returned item); else after the last returned item.
     */
    private static Optional<String> resumeAfter(List<Source> sources, Optional<String> consumed) {
        if (sources.stream().anyMatch(source -> !source.started)) {
            return consumed; // a partition not read yet: nothing of this month was returned, resume where it began
        }
        Optional<String> read = sources.stream().filter(source -> source.buffer.isEmpty() && !source.done)
                .map(source -> sk(source.startKey)).max(Comparator.naturalOrder());
        if (read.isPresent() && sources.stream().allMatch(source -> source.buffer.isEmpty()
                || sk(source.buffer.peekFirst()).compareTo(read.get()) < 0)) {
            return read;
        }
        return consumed;
    }

    private static String sk(Map<String, AttributeValue> item) {
        return item.get(LatchkeyTable.SK).s();
    }

    /** One partition of a month being read: its unread items and where its next {@code Query} starts. */
    private static final class Source {
        private final String pk;
        private final Deque<Map<String, AttributeValue>> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> startKey;
        private boolean started;
        private boolean done;

        Source(String pk, Map<String, AttributeValue> startKey) {
            this.pk = pk;
            this.startKey = startKey;
        }
    }

    private QueryRequest queryRequest(String pk, Optional<String> lower, Optional<String> upper, AuditQuery query,
            int needed, Map<String, AttributeValue> startKey) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#pk", LatchkeyTable.PK);
        values.put(":pk", AttributeValue.fromS(pk));
        String keyCondition = "#pk = :pk";
        if (lower.isPresent() || upper.isPresent()) {
            names.put("#sk", LatchkeyTable.SK);
            lower.ifPresent(value -> values.put(":lower", AttributeValue.fromS(value)));
            upper.ifPresent(value -> values.put(":upper", AttributeValue.fromS(value)));
            // Bounds are bare times: they sort before every key of their millisecond, so "sk < :upper"
            // excludes events at exactly "to", and BETWEEN's inclusive upper end never equals a key.
            keyCondition += lower.isPresent() && upper.isPresent() ? " AND #sk BETWEEN :lower AND :upper"
                    : lower.isPresent() ? " AND #sk >= :lower" : " AND #sk < :upper";
        }
        List<String> filters = new ArrayList<>();
        query.actorId().ifPresent(actor -> {
            names.put("#actor", ACTOR_ID);
            values.put(":actor", AttributeValue.fromS(actor));
            filters.add("#actor = :actor");
        });
        query.action().ifPresent(action -> {
            names.put("#action", ACTION);
            values.put(":action", AttributeValue.fromS(action.value()));
            filters.add(action.prefix() ? "begins_with(#action, :action)" : "#action = :action");
        });
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression(keyCondition)
                .scanIndexForward(false)
                // One more than needed tells whether another page exists; a filtered read evaluates
                // a larger batch, since DynamoDB applies Limit before the filter.
                .limit(query.filtered() ? Math.max(needed + 1, filteredQueryLimit) : needed + 1)
                .exclusiveStartKey(startKey)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
        if (!filters.isEmpty()) {
            request.filterExpression(String.join(" AND ", filters));
        }
        return request.build();
    }

    private QueryResponse query(QueryRequest request) {
        try {
            return client.query(request);
        } catch (SdkException e) {
            throw unavailableOrBug(e);
        }
    }

    private static boolean hasMore(QueryResponse response) {
        return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
    }

    private Map<String, AttributeValue> toItem(String scope, AuditEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        YearMonth month = YearMonth.from(event.occurredAt().atOffset(ZoneOffset.UTC));
        item.put(LatchkeyTable.PK, AttributeValue.fromS(partitionKey(scope, month)));
        item.put(LatchkeyTable.SK, AttributeValue.fromS(event.orderKey()));
        item.put(EVENT_ID, AttributeValue.fromS(event.eventId()));
        event.organizationId().ifPresent(id -> item.put(ORGANIZATION_ID, AttributeValue.fromS(id)));
        item.put(ACTOR_TYPE, AttributeValue.fromS(event.actor().type().name()));
        item.put(ACTOR_ID, AttributeValue.fromS(event.actor().id()));
        item.put(ACTION, AttributeValue.fromS(event.action()));
        event.target().ifPresent(target -> {
            item.put(TARGET_TYPE, AttributeValue.fromS(target.type()));
            item.put(TARGET_ID, AttributeValue.fromS(target.id()));
        });
        item.put(OCCURRED_AT, AttributeValue.fromS(AuditEvent.formatTime(event.occurredAt())));
        event.sourceIp().ifPresent(ip -> item.put(SOURCE_IP, AttributeValue.fromS(ip)));
        item.put(REQUEST_ID, AttributeValue.fromS(event.requestId()));
        item.put(OUTCOME, AttributeValue.fromS(event.outcome().name()));
        if (!event.details().isEmpty()) {
            item.put(DETAILS, AttributeValue.fromM(event.details().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> AttributeValue.fromS(e.getValue())))));
        }
        retention.ifPresent(keep -> item.put(LatchkeyTable.TTL_ATTRIBUTE,
                AttributeValue.fromN(Long.toString(event.occurredAt().plus(keep).getEpochSecond()))));
        return item;
    }

    private static AuditEvent toEvent(Map<String, AttributeValue> item) {
        AuditEvent.Builder event = AuditEvent.builder()
                .eventId(item.get(EVENT_ID).s())
                .organizationId(Optional.ofNullable(item.get(ORGANIZATION_ID)).map(AttributeValue::s))
                .actor(new Actor(ActorType.valueOf(item.get(ACTOR_TYPE).s()), item.get(ACTOR_ID).s()))
                .action(item.get(ACTION).s())
                .occurredAt(Instant.parse(item.get(OCCURRED_AT).s()))
                .requestId(item.get(REQUEST_ID).s())
                .outcome(Outcome.valueOf(item.get(OUTCOME).s()));
        if (item.containsKey(TARGET_TYPE)) {
            event.target(new Target(item.get(TARGET_TYPE).s(), item.get(TARGET_ID).s()));
        }
        if (item.containsKey(SOURCE_IP)) {
            event.sourceIp(item.get(SOURCE_IP).s());
        }
        if (item.containsKey(DETAILS)) {
            item.get(DETAILS).m().forEach((key, value) -> event.detail(key, value.s()));
        }
        if (item.containsKey(COUNT)) {
            event.detail(IssuanceSummaries.COUNT, item.get(COUNT).n());
            event.detail("last_at", item.get(LAST_AT).s());
            event.detail("last_request_id", item.get(LAST_REQUEST_ID).s());
            if (item.containsKey(SOURCE_IPS)) {
                event.detail("source_ips", String.join(",", item.get(SOURCE_IPS).ss().stream().sorted().toList()));
            }
        }
        return event.build();
    }

    private static boolean expired(Map<String, AttributeValue> item, Instant now) {
        AttributeValue expiresAt = item.get(LatchkeyTable.TTL_ATTRIBUTE);
        return expiresAt != null && Long.parseLong(expiresAt.n()) <= now.getEpochSecond();
    }

    /** Throttling, 5xx, a missing table, network: 503. Any other service error is a bug in the request. */
    private static RuntimeException unavailableOrBug(SdkException e) {
        boolean unavailable = e instanceof SdkClientException
                || e instanceof ResourceNotFoundException
                || e instanceof AwsServiceException service && (service.isThrottlingException()
                        || service.statusCode() >= 500);
        if (unavailable) {
            LOG.warn("audit log unavailable: {}", e.getClass().getSimpleName());
            return new StoreUnavailableException(e);
        }
        return e;
    }
}
