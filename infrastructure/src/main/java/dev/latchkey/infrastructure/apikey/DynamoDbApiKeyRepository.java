package dev.latchkey.infrastructure.apikey;

import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyAncestor;
import dev.latchkey.core.apikey.ApiKeyChange;
import dev.latchkey.core.apikey.ApiKeyCredits;
import dev.latchkey.core.apikey.ApiKeyOwnerData;
import dev.latchkey.core.apikey.ApiKeyException;
import dev.latchkey.core.apikey.ApiKeyPage;
import dev.latchkey.core.apikey.ApiKeyQuery;
import dev.latchkey.core.apikey.ApiKeyRepository;
import dev.latchkey.core.apikey.ApiKeySecrets;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.apikey.CreditRefill;
import dev.latchkey.core.apikey.IpRange;
import dev.latchkey.core.apikey.MeteredSpend;
import dev.latchkey.core.apikey.MeteredWindow;
import dev.latchkey.core.apikey.NamedRateLimit;
import dev.latchkey.core.apikey.Revocation;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.ratelimit.FixedWindow;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.ListCursor;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * API keys in the single table, through the low-level client (docs/data-model.md).
 *
 * <p><b>Item.</b> {@code pk = APIKEY#<keyId>}, {@code sk = APIKEY}, {@code gsi1pk = ORG#<orgId>},
 * {@code gsi1sk = APIKEY#<createdAt, uuuu-MM-ddTHH:mm:ss.SSSZ>#<keyId>}, {@code type = APIKEY};
 * {@code keyId, organizationId, name, description?, permissions} (L of S: a set cannot be empty),
 * {@code createdAt, createdBy, keyExpiresAt?, rateLimitLimit?, rateLimitWindowSeconds?, revokedAt?,
 * revokedBy?, revokeReason?, hash} (B, 32 bytes), {@code previousHash?} (B), {@code previousExpiresAt?},
 * {@code useCount} (N), {@code lastUsedAt?}, {@code version} (N). Times are ISO-8601 in UTC, fixed width
 * to the nanosecond ({@code 2026-03-12T10:15:30.123456789Z}), so string order is time order. The key's
 * expiry is {@code keyExpiresAt}, <em>never</em> the table's TTL attribute: TTL would delete an expired
 * key, and verification must answer {@code EXPIRED}, not {@code NOT_FOUND}. Neither the key nor its
 * secret is ever stored or logged; only its keyed hash. With every key, its marker
 * {@code ORG#<orgId>}/{@code APIKEY#<keyId>} ({@code type = APIKEY_MARKER, keyId}), written and deleted in the
 * key's transactions, so the organization's delete counts its keys with one consistent {@code Query} of its
 * partition (the index is eventually consistent); a create also bumps the organization's {@code version}, which
 * the delete is conditioned on.
 *
 * <p><b>Families</b> (docs/api-keys.md "Keys made by keys"). A key made by a key carries {@code ancestors} (L of M:
 * {@code keyId}, {@code rateLimitLimit?}, {@code rateLimitWindowSeconds?}; its makers, first to last) and has a
 * descendant item {@code APIKEY#<first key's id>}/{@code DESCENDANT#<keyId>} ({@code type = APIKEY_DESCENDANT,
 * keyId, ancestors} (L of S)), put and deleted in its create and delete transactions; {@link #descendants} queries
 * that partition. {@link #freezeFamily} sets {@code familyFrozen}, which every create under the key checks.
 *
 * <p><b>Requests.</b> {@link #find}: one {@code GetItem}, consistent. {@link #create}, {@link #update},
 * {@link #delete}: one {@code TransactWriteItems} of the conditional change (with the marker, and for a create
 * the organization's version) and the audit event's put
 * ({@link DynamoDbAuditLog#transactWriteItem}); a cancellation by {@code TransactionConflict} alone is
 * retried (at most {@value Transactions#MAX_ATTEMPTS} attempts). {@link #recordUsage}: one {@code UpdateItem}, two
 * when the stored {@code lastUsedAt} is already later (or the key is gone). {@link #list}: {@code Query}
 * on {@code gsi1} (eventually consistent), newest first, one request for an unfiltered page, at most
 * {@value #MAX_QUERIES_PER_PAGE} for a filtered one.
 *
 * <p><b>Failures.</b> Every other SDK failure (throttling, 5xx, network, a missing table, after the SDK's
 * retries) becomes {@link StoreUnavailableException}; logs name the exception class only.
 */
public final class DynamoDbApiKeyRepository implements ApiKeyRepository {

    /** Most {@code Query} requests one page of {@link #list} sends. */
    public static final int MAX_QUERIES_PER_PAGE = 10;
    /** Items a filtered {@code Query} evaluates at most (its {@code Limit}; the filter applies after it). */
    public static final int FILTERED_QUERY_LIMIT = 200;

    static final String TYPE = "APIKEY";
    static final String MARKER_TYPE = "APIKEY_MARKER";
    static final String DESCENDANT_TYPE = "APIKEY_DESCENDANT";
    static final String ANCESTORS = "ancestors";
    static final String ANCESTOR_ID = "keyId";
    static final String FROZEN_AT = "familyFrozen";
    /** Items of one {@code TransactWriteItems}. */
    static final int MAX_TRANSACTION_ITEMS = 100;

    static final String KEY_ID = "keyId";
    static final String ORGANIZATION_ID = "organizationId";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String PERMISSIONS = "permissions";
    static final String CREATED_AT = "createdAt";
    static final String CREATED_BY = "createdBy";
    static final String KEY_EXPIRES_AT = "keyExpiresAt";
    static final String RATE_LIMIT_LIMIT = "rateLimitLimit";
    static final String RATE_LIMIT_WINDOW = "rateLimitWindowSeconds";
    static final String REVOKED_AT = "revokedAt";
    static final String REVOKED_BY = "revokedBy";
    static final String REVOKE_REASON = "revokeReason";
    static final String HASH = "hash";
    static final String PREVIOUS_HASH = "previousHash";
    static final String PREVIOUS_EXPIRES_AT = "previousExpiresAt";
    static final String USE_COUNT = "useCount";
    static final String LAST_USED_AT = "lastUsedAt";
    static final String VERSION = "version";
    static final String CREDITS = "credits";
    static final String CREDITS_REFILL_INTERVAL = "creditsRefillInterval";
    static final String CREDITS_REFILL_AMOUNT = "creditsRefillAmount";
    static final String CREDITS_REFILL_DAY = "creditsRefillDay";
    static final String CREDITS_REFILLED_AT = "creditsRefilledAt";
    /** Prefix of a metered key's window start attribute, one per own limit: {@code meteredStart#<limit name>}. */
    static final String METERED_START = "meteredStart#";
    /** Prefix of a metered key's window count attribute: {@code meteredCount#<limit name>}. */
    static final String METERED_COUNT = "meteredCount#";
    private static final int METERED_ATTEMPTS = 4;
    static final String RATE_LIMITS = "rateLimits";
    static final String ALLOWED_IPS = "allowedIps";
    static final String EXTERNAL_ID = "externalId";
    static final String META = "meta";
    static final String EXTERNAL_ID_TYPE = "APIKEY_EXTERNAL_ID";
    static final String RATE_LIMIT_NAME = "name";

    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;
    private final int maxQueriesPerPage;
    private final int filteredQueryLimit;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbApiKeyRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this(client, tableName, auditLog, MAX_QUERIES_PER_PAGE, FILTERED_QUERY_LIMIT);
    }

    /** With a smaller read budget, so tests reach it with few items. */
    DynamoDbApiKeyRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog,
            int maxQueriesPerPage, int filteredQueryLimit) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        if (maxQueriesPerPage < 1 || filteredQueryLimit < 1) {
            throw new IllegalArgumentException("read budget must be positive");
        }
        this.maxQueriesPerPage = maxQueriesPerPage;
        this.filteredQueryLimit = filteredQueryLimit;
    }

    /** The key item's table key. */
    static Map<String, AttributeValue> key(String keyId) {
        return Keys.apiKey(keyId);
    }

    /** The key's marker in its organization's partition ({@code ORG#<orgId>}/{@code APIKEY#<keyId>}). */
    static Map<String, AttributeValue> markerKey(String organizationId, String keyId) {
        return Keys.apiKeyMarker(organizationId, keyId);
    }

    private static Map<String, AttributeValue> markerItem(String organizationId, String keyId) {
        Map<String, AttributeValue> item = new HashMap<>(markerKey(organizationId, keyId));
        item.put("type", s(MARKER_TYPE));
        item.put(KEY_ID, s(keyId));
        return item;
    }

    /**
     * A key made by a key, listed in its family's first key's partition ({@code APIKEY#<rootId>}/{@code
     * DESCENDANT#<keyId>}), so that one consistent {@code Query} finds every key a family member made.
     */
    static Map<String, AttributeValue> descendantKey(ApiKey key) {
        return Keys.apiKeyDescendant(key.rootId(), key.id());
    }

    /** The external-id index item: {@code EXTID#<orgId>#<externalId>}/{@code APIKEY#<keyId>}, with the key id. */
    private static Map<String, AttributeValue> externalIdItem(ApiKey key, String externalId) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.apiKeyByExternalId(key.organizationId(), externalId,
                key.id()));
        item.put("type", s(EXTERNAL_ID_TYPE));
        item.put(KEY_ID, s(key.id()));
        return item;
    }

    /**
     * One consistent {@code Query} of {@code EXTID#<orgId>#<externalId>} (at most {@code limit} items), then one
     * consistent {@code BatchGetItem} of the keys: the organization's keys with that external id, newest first.
     */
    @Override
    public List<ApiKey> findByExternalId(String organizationId, String externalId, int limit) {
        QueryResponse index = table.call("api key external id", () -> table.client().query(q -> q
                .tableName(table.name())
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":pk", s(Keys.externalIdPk(organizationId, externalId))))
                .consistentRead(true)
                .scanIndexForward(false)
                .limit(limit)));
        List<Map<String, AttributeValue>> keys = index.items().stream().map(item -> key(item.get(KEY_ID).s()))
                .toList();
        if (keys.isEmpty()) {
            return List.of();
        }
        return table.batchGet("api key external id keys", keys, b -> { }).stream()
                .map(DynamoDbApiKeyRepository::toApiKey)
                .filter(k -> k.organizationId().equals(organizationId))
                .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id).reversed())
                .toList();
    }

    private static Map<String, AttributeValue> descendantItem(ApiKey key) {
        Map<String, AttributeValue> item = new HashMap<>(descendantKey(key));
        item.put("type", s(DESCENDANT_TYPE));
        item.put(KEY_ID, s(key.id()));
        item.put(ANCESTORS, AttributeValue.fromL(key.ancestors().stream().map(a -> s(a.keyId())).toList()));
        return item;
    }

    /** The item's {@code gsi1sk}: creation time to the millisecond, fixed width, then the key id. */
    static String indexSortKey(Instant createdAt, String keyId) {
        return ListCursor.gsi1SortKey(Keys.API_KEY, createdAt, keyId);
    }

    /** A stored time: ISO-8601, UTC, fixed width to the nanosecond, so that string order is time order. */
    static String formatTime(Instant instant) {
        return TIME_FORMAT.format(instant);
    }

    /**
     * One {@code TransactWriteItems}: {@code Put} of the key ({@code attribute_not_exists}), {@code Put} of its
     * marker in the organization's partition, {@code Update} of the organization ({@code ADD version :1},
     * {@code attribute_exists(pk)}: a key for an organization that does not exist, or was just deleted, fails with
     * 404), for a key made by a key a {@code ConditionCheck} of each ancestor (in the organization, not revoked, its
     * family not {@linkplain #freezeFamily frozen}) and a {@code Put} of its descendant item in its family's
     * partition, and the audit event.
     */
    @Override
    public void create(ApiKey key, AuditEvent event) {
        TransactWriteItem put = TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(toItem(key))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build();
        TransactWriteItem marker = TransactWriteItem.builder().put(p -> p.tableName(table.name())
                .item(markerItem(key.organizationId(), key.id()))).build();
        TransactWriteItem organization = OrganizationItem.bumpVersion(table.name(), key.organizationId());
        List<TransactWriteItem> writes = new ArrayList<>(List.of(put, marker, organization));
        int makers = key.ancestors().size();
        for (ApiKeyAncestor ancestor : key.ancestors()) {
            writes.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                    .key(key(ancestor.keyId()))
                    .conditionExpression("attribute_exists(#pk) AND #org = :org AND attribute_not_exists(#revokedAt)"
                            + " AND attribute_not_exists(#frozen)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#org", ORGANIZATION_ID, "#revokedAt",
                            REVOKED_AT, "#frozen", FROZEN_AT))
                    .expressionAttributeValues(Map.of(":org", s(key.organizationId())))).build());
        }
        if (makers > 0) {
            writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(descendantItem(key)))
                    .build());
        }
        key.owner().externalId().ifPresent(externalId -> writes.add(TransactWriteItem.builder().put(p -> p
                .tableName(table.name()).item(externalIdItem(key, externalId))).build()));
        writes.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("api key create", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw ApiKeyException.conflict("ALREADY_EXISTS", "An API key with this id exists.");
        }
        if (Transactions.failedCondition(reasons, 2)) {
            throw ApiKeyException.organizationNotFound();
        }
        for (int i = 0; i < makers; i++) {
            if (Transactions.failedCondition(reasons, 3 + i)) {
                throw ApiKeyException.conflict("MAKER_REVOKED", "The calling key is no longer valid.");
            }
        }
        throw Transactions.cancelled("api key create", reasons, writes.size() - 1);
    }

    /**
     * One consistent {@code Query} of the family's partition ({@code APIKEY#<rootId>}, {@code begins_with(sk,
     * DESCENDANT#)}; more pages past 1 MB), then one consistent {@code GetItem} per descendant of {@code key}
     * (a deleted one is skipped).
     */
    @Override
    public List<ApiKey> descendants(ApiKey key) {
        List<Map<String, AttributeValue>> markers = table.queryAll("api key family", q -> q
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", s(Keys.apiKeyPk(key.rootId())), ":prefix",
                        s(Keys.DESCENDANT)))
                .consistentRead(true));
        List<ApiKey> found = new ArrayList<>();
        for (Map<String, AttributeValue> marker : markers) {
            boolean below = marker.get(ANCESTORS).l().stream().anyMatch(a -> a.s().equals(key.id()));
            if (below) {
                find(marker.get(KEY_ID).s()).filter(d -> d.descendsFrom(key.id())).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparingInt((ApiKey d) -> d.ancestors().size()).reversed());
        return found;
    }

    @Override
    public Optional<ApiKey> find(String keyId) {
        return table.get("api key read", key(keyId)).map(DynamoDbApiKeyRepository::toApiKey);
    }

    /**
     * {@code Query} on {@code gsi1} ({@code gsi1pk = ORG#<orgId>}, {@code begins_with(gsi1sk, APIKEY#)},
     * newest first, eventually consistent). The filters ({@code attribute_not_exists(revokedAt)},
     * {@code contains(permissions, :p)}) are a {@code FilterExpression}: DynamoDB reads (and bills) the
     * items before filtering, so a filtered page keeps querying until it is full, the organization's keys
     * end, or {@link #MAX_QUERIES_PER_PAGE} requests were sent — <em>a filtered page can then be short, or
     * empty, and still carry a cursor</em>. The cursor continues exactly after the last key returned (or,
     * when the read budget ran out, after the last key read), so nothing is skipped or repeated.
     */
    @Override
    public ApiKeyPage list(String organizationId, ApiKeyQuery query) {
        Objects.requireNonNull(organizationId, "organizationId");
        Map<String, AttributeValue> startKey = query.cursor()
                .map(text -> startKey(text, organizationId)).orElse(null);
        boolean filtered = !query.includeRevoked() || query.permission().isPresent();
        List<ApiKey> keys = new ArrayList<>();
        for (int requests = 0; ; requests++) {
            if (requests == maxQueriesPerPage) {
                // Out of read budget: every key up to startKey was read and the matching ones returned.
                return new ApiKeyPage(keys, Optional.of(cursorAfter(organizationId, startKey)));
            }
            int needed = query.limit() - keys.size();
            QueryResponse response = query(listRequest(organizationId, query, filtered ? Math.max(needed + 1,
                    filteredQueryLimit) : needed + 1, startKey));
            List<Map<String, AttributeValue>> items = response.items();
            for (int i = 0; i < items.size(); i++) {
                keys.add(toApiKey(items.get(i)));
                if (keys.size() == query.limit()) {
                    boolean more = i < items.size() - 1 || SingleTable.hasMore(response);
                    return new ApiKeyPage(keys, more ? Optional.of(cursorAfter(organizationId, items.get(i)))
                            : Optional.empty());
                }
            }
            if (!SingleTable.hasMore(response)) {
                return new ApiKeyPage(keys, Optional.empty());
            }
            startKey = response.lastEvaluatedKey();
        }
    }

    /**
     * One transactional {@code Update}: {@code SET} (or {@code REMOVE}) the revocation, the hashes and the
     * version, conditioned on {@code version = updated.version() - 1} and the organization; the use count
     * and {@code lastUsedAt} are never touched.
     */
    @Override
    public void update(ApiKey updated, AuditEvent event) {
        List<String> reasons = table.transactWrite("api key update",
                List.of(updateItem(updated), auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw concurrentChange();
        }
        throw Transactions.cancelled("api key update", reasons, 1);
    }

    /**
     * One {@code TransactWriteItems} (docs/api-keys.md "Changing a key"): the key's {@code Update} ({@code SET} or
     * {@code REMOVE} of the default limit, {@code rateLimits}, {@code allowedIps}, {@code externalId}, {@code meta},
     * and the version, conditioned on {@code version = before.version AND organizationId = :org}); when the external
     * id changes, the {@code Delete} of its old index item and the {@code Put} of its new one; the audit event. So
     * the index moves atomically with the key: a list by external id never sees it under both ids or under none.
     */
    @Override
    public void updateSettings(ApiKey before, ApiKey after, AuditEvent event) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        names.put("#version", VERSION);
        names.put("#org", ORGANIZATION_ID);
        values.put(":version", n(after.version()));
        values.put(":expected", n(before.version()));
        values.put(":org", s(before.organizationId()));
        set.add("#version = :version");
        setOrRemove(names, values, set, remove, RATE_LIMIT_LIMIT, after.rateLimit().map(l -> n(l.limit())));
        setOrRemove(names, values, set, remove, RATE_LIMIT_WINDOW, after.rateLimit()
                .map(l -> n(l.window().getSeconds())));
        setOrRemove(names, values, set, remove, RATE_LIMITS, Optional.of(after.rateLimits())
                .filter(limits -> !limits.isEmpty()).map(limits -> AttributeValue.fromL(limits.stream()
                        .map(l -> AttributeValue.fromM(Map.of(RATE_LIMIT_NAME, s(l.name()), RATE_LIMIT_LIMIT,
                                n(l.limit().limit()), RATE_LIMIT_WINDOW, n(l.limit().window().getSeconds()))))
                        .toList())));
        setOrRemove(names, values, set, remove, ALLOWED_IPS, Optional.of(after.owner().allowedIps())
                .filter(ranges -> !ranges.isEmpty()).map(ranges -> AttributeValue.fromL(ranges.stream()
                        .map(r -> s(r.text())).toList())));
        setOrRemove(names, values, set, remove, EXTERNAL_ID, after.owner().externalId()
                .map(DynamoDbApiKeyRepository::s));
        setOrRemove(names, values, set, remove, META, after.owner().meta().map(DynamoDbApiKeyRepository::s));
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE "
                + String.join(", ", remove));
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(key(before.id()))
                .updateExpression(expression)
                .conditionExpression("#version = :expected AND #org = :org")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build());
        Optional<String> oldId = before.owner().externalId();
        Optional<String> newId = after.owner().externalId();
        if (!oldId.equals(newId)) {
            oldId.ifPresent(id -> writes.add(table.delete(Keys.apiKeyByExternalId(before.organizationId(), id,
                    before.id()))));
            newId.ifPresent(id -> writes.add(TransactWriteItem.builder().put(p -> p.tableName(table.name())
                    .item(externalIdItem(after, id))).build()));
        }
        writes.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("api key settings update", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw concurrentChange();
        }
        throw Transactions.cancelled("api key settings update", reasons, writes.size() - 1);
    }

    /**
     * The changes as {@link #update}s with their audit events: one {@code TransactWriteItems} when they fit
     * ({@value #MAX_TRANSACTION_ITEMS} items, two per change), else several in the given order, the last holding
     * the last changes. Each is a {@link #revocationItem}: a roll meanwhile is kept.
     */
    @Override
    public void revoke(ApiKey key, List<ApiKeyChange> changes) {
        writeInOrder("api key family revoke", changes, List.of());
    }

    /**
     * One {@code UpdateItem}: {@code SET familyFrozen = true}, conditioned on the key existing. Every create of a key
     * under it checks the attribute's absence in its own transaction.
     */
    @Override
    public void freezeFamily(ApiKey key) {
        boolean frozen = table.conditional("api key freeze", () -> table.client().updateItem(u -> u
                .tableName(table.name()).key(key(key.id()))
                .updateExpression("SET #frozen = :frozen")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#frozen", FROZEN_AT, "#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":frozen", AttributeValue.fromBool(true))))).isPresent();
        if (!frozen) {
            throw ApiKeyException.notFound();
        }
    }

    /**
     * The descendants' revocations as {@link #revoke}, the last transaction also holding: {@code Delete} of the key
     * conditioned on {@code attribute_exists(pk) AND organizationId = :org}, {@code Delete} of its marker and, for a
     * key made by a key, of its descendant item, the audit event.
     * A failed condition of the key's delete is 404 when the key is gone (one more {@code GetItem} tells), else 409.
     */
    @Override
    public void delete(ApiKey key, List<ApiKeyChange> revokedDescendants, AuditEvent event) {
        List<TransactWriteItem> last = new ArrayList<>();
        last.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                .key(key(key.id()))
                .conditionExpression("attribute_exists(#pk) AND #org = :org")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#org", ORGANIZATION_ID))
                .expressionAttributeValues(Map.of(":org", s(key.organizationId())))).build());
        last.add(table.delete(markerKey(key.organizationId(), key.id())));
        if (!key.ancestors().isEmpty()) {
            last.add(table.delete(descendantKey(key)));
        }
        key.owner().externalId().ifPresent(externalId -> last.add(table.delete(Keys.apiKeyByExternalId(
                key.organizationId(), externalId, key.id()))));
        last.add(auditLog.transactWriteItem(event));
        try {
            writeInOrder("api key delete", revokedDescendants, last);
        } catch (ApiKeyException e) {
            if (find(key.id()).filter(k -> k.organizationId().equals(key.organizationId())).isEmpty()) {
                throw ApiKeyException.notFound();
            }
            throw e;
        }
    }

    /**
     * Writes the changes (update + audit each) and then {@code last} (whose first item, if any, carries its
     * condition), in as few transactions as fit, in order; the final transaction holds {@code last} and as many of
     * the last changes as fit with it.
     */
    private void writeInOrder(String what, List<ApiKeyChange> changes, List<TransactWriteItem> last) {
        int perTransaction = MAX_TRANSACTION_ITEMS / 2;
        int withLast = (MAX_TRANSACTION_ITEMS - last.size()) / 2;
        int leading = Math.max(0, changes.size() - withLast);
        for (int from = 0; from < leading; from += perTransaction) {
            commit(what, changes.subList(from, Math.min(leading, from + perTransaction)), List.of());
        }
        commit(what, changes.subList(leading, changes.size()), last);
    }

    private void commit(String what, List<ApiKeyChange> changes, List<TransactWriteItem> last) {
        List<TransactWriteItem> writes = new ArrayList<>();
        for (ApiKeyChange change : changes) {
            writes.add(revocationItem(change.key()));
            writes.add(auditLog.transactWriteItem(change.event()));
        }
        writes.addAll(last);
        if (writes.isEmpty()) {
            return;
        }
        List<String> reasons = table.transactWrite(what, writes);
        if (reasons.isEmpty()) {
            return;
        }
        for (int i = 0; i < changes.size(); i++) {
            if (Transactions.failedCondition(reasons, 2 * i)) {
                throw concurrentChange();
            }
            if (Transactions.failedCondition(reasons, 2 * i + 1)) {
                throw Transactions.cancelled(what, reasons, 2 * i + 1);
            }
        }
        if (!last.isEmpty() && Transactions.failedCondition(reasons, 2 * changes.size())) {
            throw concurrentChange();
        }
        throw Transactions.cancelled(what, reasons, writes.size() - 1);
    }

    /**
     * A revocation: {@code SET} revokedAt, revokedBy (and revokeReason), {@code ADD version :1}, conditioned on the
     * key existing in its organization unrevoked. Neither the hashes nor anything else are written, so a roll that
     * landed since the key was read is kept.
     */
    private TransactWriteItem revocationItem(ApiKey revoked) {
        Revocation revocation = revoked.revocation().orElseThrow();
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#org", ORGANIZATION_ID,
                "#version", VERSION, "#revokedAt", REVOKED_AT, "#revokedBy", REVOKED_BY));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":org", s(revoked.organizationId()), ":one", n(1),
                ":revokedAt", time(revocation.revokedAt()), ":revokedBy", s(revocation.revokedBy())));
        String set = "SET #revokedAt = :revokedAt, #revokedBy = :revokedBy";
        Optional<String> reason = revocation.reason().filter(text -> !text.isEmpty());
        if (reason.isPresent()) {
            names.put("#reason", REVOKE_REASON);
            values.put(":reason", s(reason.get()));
            set += ", #reason = :reason";
        }
        String expression = set + " ADD #version :one";
        return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(key(revoked.id()))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(#pk) AND #org = :org AND attribute_not_exists(#revokedAt)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    /** The conditional {@code Update} of a key's revocation, hashes and version (see {@link #update}). */
    private TransactWriteItem updateItem(ApiKey updated) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        names.put("#version", VERSION);
        names.put("#org", ORGANIZATION_ID);
        values.put(":version", n(updated.version()));
        values.put(":expected", n(updated.version() - 1));
        values.put(":org", s(updated.organizationId()));
        set.add("#version = :version");
        ApiKeySecrets secrets = updated.secrets();
        setOrRemove(names, values, set, remove, HASH, Optional.of(b(secrets.current())));
        setOrRemove(names, values, set, remove, PREVIOUS_HASH, secrets.previous().map(DynamoDbApiKeyRepository::b));
        setOrRemove(names, values, set, remove, PREVIOUS_EXPIRES_AT,
                secrets.previousExpiresAt().map(DynamoDbApiKeyRepository::time));
        Optional<Revocation> revocation = updated.revocation();
        setOrRemove(names, values, set, remove, REVOKED_AT, revocation.map(r -> time(r.revokedAt())));
        setOrRemove(names, values, set, remove, REVOKED_BY, revocation.map(r -> s(r.revokedBy())));
        setOrRemove(names, values, set, remove, REVOKE_REASON, revocation.flatMap(Revocation::reason)
                .filter(reason -> !reason.isEmpty()).map(DynamoDbApiKeyRepository::s));
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE "
                + String.join(", ", remove));
        return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(key(updated.id()))
                .updateExpression(expression)
                .conditionExpression("#version = :expected AND #org = :org")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
    }

    private static ApiKeyException concurrentChange() {
        return ApiKeyException.conflict("CONCURRENT_CHANGE", "The key changed meanwhile; retry.");
    }

    /**
     * {@code UpdateItem ADD useCount :n SET lastUsedAt = :t}, conditioned on the item existing and its
     * {@code lastUsedAt} being absent or earlier; when that condition fails, a second {@code UpdateItem}
     * adds the count alone (condition {@code attribute_exists(pk)}). A deleted key fails both and stays
     * deleted. A write that meets a running transaction on the item is retried a few times.
     */
    @Override
    public void recordUsage(String keyId, long uses, Instant lastUsedAt) {
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        if (uses < 0) {
            throw new IllegalArgumentException("uses must not be negative");
        }
        Map<String, String> names = Map.of("#pk", LatchkeyTable.PK, "#count", USE_COUNT, "#last", LAST_USED_AT);
        Map<String, AttributeValue> values = Map.of(":n", n(uses), ":t", time(lastUsedAt));
        if (usageUpdate(keyId, "ADD #count :n SET #last = :t",
                "attribute_exists(#pk) AND (attribute_not_exists(#last) OR #last < :t)", names, values)) {
            return;
        }
        usageUpdate(keyId, "ADD #count :n", "attribute_exists(#pk)", Map.of("#pk", LatchkeyTable.PK,
                "#count", USE_COUNT), Map.of(":n", n(uses)));
    }

    private boolean usageUpdate(String keyId, String expression, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        for (int attempt = 1; ; attempt++) {
            try {
                table.client().updateItem(u -> u.tableName(table.name()).key(key(keyId))
                        .updateExpression(expression)
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException e) {
                return false;
            } catch (TransactionConflictException e) {
                if (attempt == Transactions.MAX_ATTEMPTS) {
                    throw SingleTable.unavailable("api key usage update", e);
                }
                Transactions.backOff(attempt);
            } catch (SdkException e) {
                throw SingleTable.unavailable("api key usage update", e);
            }
        }
    }

    /**
     * One conditional {@code UpdateItem} (docs/api-keys.md "Usage credits"): {@code SET credits = credits - :cost}
     * under {@code credits >= :cost}, returning the new value; so parallel verifies never spend below zero. When the
     * key's refill is due, the write is instead {@code SET credits = :amount - :cost, creditsRefilledAt = :period}
     * under {@code creditsRefilledAt < :period} — once per period, whichever verify comes first; a verify that loses
     * that race spends with the plain decrement (a second request, only then).
     */
    @Override
    public OptionalLong spendCredits(ApiKey key, long cost, Instant now) {
        ApiKeyCredits credits = key.credits().orElseThrow(() -> new IllegalArgumentException("no credits"));
        if (cost < 1 || cost > ApiKeyCredits.MAX) {
            throw new IllegalArgumentException("cost out of range");
        }
        Optional<Instant> due = credits.dueRefill(now);
        if (due.isPresent()) {
            long amount = credits.refill().orElseThrow().amount();
            boolean spend = amount >= cost;
            OptionalLong refilled = creditUpdate(key.id(), "SET #credits = :left, #refilledAt = :period",
                    "attribute_exists(#credits) AND (attribute_not_exists(#refilledAt) OR #refilledAt < :period)",
                    Map.of("#credits", CREDITS, "#refilledAt", CREDITS_REFILLED_AT),
                    Map.of(":left", n(spend ? amount - cost : amount), ":period", time(due.get())));
            if (refilled.isPresent()) {
                return spend ? refilled : OptionalLong.empty();
            }
        }
        return creditUpdate(key.id(), "SET #credits = #credits - :cost", "#credits >= :cost",
                Map.of("#credits", CREDITS), Map.of(":cost", n(cost)));
    }

    /**
     * One conditional {@code UpdateItem} on the key's item (docs/api-keys.md "One write for credits and the key's own
     * limit"). The limit's current window is two attributes, {@code meteredStart#<name>} and
     * {@code meteredCount#<name>}; the credits are spent as in {@link #spendCredits}:
     * <ul>
     *   <li>the window as read is the current one: {@code ADD count :cost} under {@code start = :start AND count <=
     *       :limit - :cost};</li>
     *   <li>else (a new window, or none yet): {@code SET start = :start, count = :cost} under {@code
     *       attribute_not_exists(start) OR start < :start} — so the item never holds more than one window per
     *       limit, and an old window's count is replaced, not left behind;</li>
     *   <li>and, in the same write, {@code SET credits = credits - :cost} under {@code credits >= :cost}, or the due
     *       refill {@code SET credits = :amount - :cost, creditsRefilledAt = :period} under {@code creditsRefilledAt
     *       < :period}.</li>
     * </ul>
     * A failed condition returns the item as it was ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}): a window
     * without room is {@code RATE_LIMITED}, too few credits {@code USAGE_EXCEEDED} — both without another request;
     * only when the item shows a race lost on the window's start or the refill (the condition's other parts) is the
     * write made again, from that state.
     */
    @Override
    public MeteredSpend spendWithinLimit(ApiKey key, NamedRateLimit limit, int limitCost, long cost, Instant now) {
        ApiKeyCredits known = key.credits().orElseThrow(() -> new IllegalArgumentException("no credits"));
        if (limitCost < 0 || limitCost > RateLimiter.MAX_COST || cost < 0 || cost > ApiKeyCredits.MAX) {
            throw new IllegalArgumentException("cost out of range");
        }
        long start = FixedWindow.start(now, limit.limit());
        int most = limit.limit().limit();
        for (int attempt = 1; ; attempt++) {
            MeteredWindow window = known.windows().get(limit.name());
            boolean sameWindow = window != null && window.start() >= start;
            long current = sameWindow ? window.count() : 0;
            if (current + limitCost > most) {
                return new MeteredSpend(current + limitCost, false, OptionalLong.empty());
            }
            long left = known.at(now).remaining();
            if (left == 0 || left < cost) {
                return new MeteredSpend(current, true, OptionalLong.empty());
            }
            if (attempt > METERED_ATTEMPTS) {
                throw new StoreUnavailableException(new IllegalStateException("api key metered update: races"));
            }
            MeteredWrite write = meteredUpdate(key.id(), limit.name(), known, sameWindow ? window.start() : start,
                    sameWindow, most - limitCost, limitCost, cost, now);
            if (write.failed()) {
                // The condition failed: decide from the item as it was (ALL_OLD), or try again from it. A key that
                // is gone or lost its credits spends nothing.
                Optional<ApiKeyCredits> found = write.attributes().isEmpty() ? Optional.empty()
                        : credits(write.attributes());
                if (found.isEmpty()) {
                    return new MeteredSpend(current, true, OptionalLong.empty());
                }
                known = found.get();
                continue;
            }
            return new MeteredSpend(Long.parseLong(write.attributes().get(METERED_COUNT + limit.name()).n()), true,
                    OptionalLong.of(Long.parseLong(write.attributes().get(CREDITS).n())));
        }
    }

    /**
     * The answer of {@link #meteredUpdate}: the attributes it updated ({@code UPDATED_NEW}), or, when the condition
     * failed, the whole item as it was ({@code ALL_OLD}; empty when the item is gone).
     */
    private record MeteredWrite(boolean failed, Map<String, AttributeValue> attributes) {
    }

    /** The one conditional {@code UpdateItem} of {@link #spendWithinLimit}. */
    private MeteredWrite meteredUpdate(String keyId, String limitName, ApiKeyCredits known,
            long windowStart, boolean sameWindow, long room, int limitCost, long cost, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#start", METERED_START + limitName,
                "#count", METERED_COUNT + limitName, "#credits", CREDITS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":start", n(windowStart), ":lc", n(limitCost)));
        List<String> set = new ArrayList<>();
        String add = "";
        String windowCondition;
        if (sameWindow) {
            add = " ADD #count :lc";
            windowCondition = "#start = :start AND #count <= :room";
            values.put(":room", n(room));
        } else {
            set.add("#start = :start");
            set.add("#count = :lc");
            windowCondition = "(attribute_not_exists(#start) OR #start < :start)";
        }
        Optional<Instant> due = known.dueRefill(now);
        String creditCondition;
        if (due.isPresent()) {
            names.put("#refilledAt", CREDITS_REFILLED_AT);
            set.add("#credits = :left");
            set.add("#refilledAt = :period");
            values.put(":left", n(known.refill().orElseThrow().amount() - cost));
            values.put(":period", time(due.get()));
            creditCondition = "attribute_exists(#credits) AND (attribute_not_exists(#refilledAt) OR #refilledAt < "
                    + ":period)";
        } else {
            set.add("#credits = #credits - :cost");
            values.put(":cost", n(cost));
            creditCondition = "#credits >= :cost";
        }
        String expression = "SET " + String.join(", ", set) + add;
        String condition = windowCondition + " AND " + creditCondition;
        for (int attempt = 1; ; attempt++) {
            try {
                return new MeteredWrite(false, table.client().updateItem(u -> u.tableName(table.name()).key(key(keyId))
                        .updateExpression(expression)
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.UPDATED_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                        .attributes());
            } catch (ConditionalCheckFailedException e) {
                return new MeteredWrite(true, e.hasItem() ? e.item() : Map.of());
            } catch (TransactionConflictException e) {
                if (attempt == Transactions.MAX_ATTEMPTS) {
                    throw SingleTable.unavailable("api key metered update", e);
                }
                Transactions.backOff(attempt);
            } catch (SdkException e) {
                throw SingleTable.unavailable("api key metered update", e);
            }
        }
    }

    private OptionalLong creditUpdate(String keyId, String expression, String condition, Map<String, String> names,
            Map<String, AttributeValue> values) {
        for (int attempt = 1; ; attempt++) {
            try {
                AttributeValue left = table.client().updateItem(u -> u.tableName(table.name()).key(key(keyId))
                        .updateExpression(expression)
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.UPDATED_NEW)).attributes().get(CREDITS);
                return OptionalLong.of(Long.parseLong(left.n()));
            } catch (ConditionalCheckFailedException e) {
                return OptionalLong.empty();
            } catch (TransactionConflictException e) {
                if (attempt == Transactions.MAX_ATTEMPTS) {
                    throw SingleTable.unavailable("api key credits update", e);
                }
                Transactions.backOff(attempt);
            } catch (SdkException e) {
                throw SingleTable.unavailable("api key credits update", e);
            }
        }
    }

    /**
     * One {@code TransactWriteItems}: the key's credit attributes set (or removed) under {@code attribute_exists(pk)
     * AND organizationId = :org}, and the audit event.
     */
    @Override
    public void setCredits(ApiKey key, Optional<ApiKeyCredits> credits, AuditEvent event) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#org", ORGANIZATION_ID));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":org", s(key.organizationId())));
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Optional<CreditRefill> refill = credits.flatMap(ApiKeyCredits::refill);
        setOrRemove(names, values, set, remove, CREDITS, credits.map(c -> n(c.remaining())));
        setOrRemove(names, values, set, remove, CREDITS_REFILL_INTERVAL, refill.map(r -> s(r.interval().text())));
        setOrRemove(names, values, set, remove, CREDITS_REFILL_AMOUNT, refill.map(r -> n(r.amount())));
        setOrRemove(names, values, set, remove, CREDITS_REFILL_DAY, refill.flatMap(CreditRefill::dayOfMonth)
                .map(day -> n(day)));
        setOrRemove(names, values, set, remove, CREDITS_REFILLED_AT, credits.flatMap(ApiKeyCredits::refilledAt)
                .map(DynamoDbApiKeyRepository::time));
        String expression = (set.isEmpty() ? "" : "SET " + String.join(", ", set))
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        TransactWriteItem update = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(key(key.id()))
                .updateExpression(expression.strip())
                .conditionExpression("attribute_exists(#pk) AND #org = :org")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)).build();
        creditsTransaction("api key credits set", update, event);
    }

    /**
     * One {@code TransactWriteItems}: {@code ADD credits :n} under {@code attribute_exists(credits) AND credits <=
     * :most} (the key exists in its organization and the sum stays within the maximum), and the audit event.
     */
    @Override
    public void addCredits(ApiKey key, long amount, AuditEvent event) {
        if (amount < 1 || amount > ApiKeyCredits.MAX) {
            throw new IllegalArgumentException("amount out of range");
        }
        TransactWriteItem update = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(key(key.id()))
                .updateExpression("ADD #credits :n")
                .conditionExpression("attribute_exists(#pk) AND #org = :org AND #credits <= :most")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#org", ORGANIZATION_ID,
                        "#credits", CREDITS))
                .expressionAttributeValues(Map.of(":org", s(key.organizationId()), ":n", n(amount),
                        ":most", n(ApiKeyCredits.MAX - amount)))).build();
        creditsTransaction("api key credits add", update, event);
    }

    private void creditsTransaction(String what, TransactWriteItem update, AuditEvent event) {
        List<TransactWriteItem> writes = List.of(update, auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite(what, writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw ApiKeyException.conflict("NO_CREDITS",
                    "The key is gone, has no credits, or would pass " + ApiKeyCredits.MAX + " credits.");
        }
        throw Transactions.cancelled(what, reasons, 1);
    }

    private QueryRequest listRequest(String organizationId, ApiKeyQuery query, int limit,
            Map<String, AttributeValue> startKey) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#gpk", LatchkeyTable.GSI1_PK);
        names.put("#gsk", LatchkeyTable.GSI1_SK);
        values.put(":gpk", s(Keys.organizationPk(organizationId)));
        values.put(":prefix", s(Keys.API_KEY));
        List<String> filters = new ArrayList<>();
        if (!query.includeRevoked()) {
            names.put("#revokedAt", REVOKED_AT);
            filters.add("attribute_not_exists(#revokedAt)");
        }
        query.permission().ifPresent(permission -> {
            names.put("#permissions", PERMISSIONS);
            values.put(":permission", s(permission));
            filters.add("contains(#permissions, :permission)");
        });
        QueryRequest.Builder request = QueryRequest.builder()
                .tableName(table.name())
                .indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :gpk AND begins_with(#gsk, :prefix)")
                .scanIndexForward(false)
                .limit(limit)
                .exclusiveStartKey(startKey)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values);
        if (!filters.isEmpty()) {
            request.filterExpression(String.join(" AND ", filters));
        }
        return request.build();
    }

    private QueryResponse query(QueryRequest request) {
        return table.call("api key list", () -> table.client().query(request));
    }

    private static void setOrRemove(Map<String, String> names, Map<String, AttributeValue> values, List<String> set,
            List<String> remove, String attribute, Optional<AttributeValue> value) {
        String name = "#" + attribute;
        names.put(name, attribute);
        if (value.isPresent()) {
            values.put(":" + attribute, value.get());
            set.add(name + " = :" + attribute);
        } else {
            remove.add(name);
        }
    }

    private static Map<String, AttributeValue> toItem(ApiKey key) {
        Map<String, AttributeValue> item = new HashMap<>(key(key.id()));
        item.put(LatchkeyTable.GSI1_PK, s(Keys.organizationPk(key.organizationId())));
        item.put(LatchkeyTable.GSI1_SK, s(indexSortKey(key.createdAt(), key.id())));
        item.put("type", s(TYPE));
        item.put(KEY_ID, s(key.id()));
        item.put(ORGANIZATION_ID, s(key.organizationId()));
        item.put(NAME, s(key.name()));
        key.description().filter(text -> !text.isEmpty()).ifPresent(text -> item.put(DESCRIPTION, s(text)));
        item.put(PERMISSIONS, AttributeValue.fromL(key.permissions().stream().map(DynamoDbApiKeyRepository::s)
                .toList()));
        item.put(CREATED_AT, time(key.createdAt()));
        item.put(CREATED_BY, s(key.createdBy()));
        key.expiresAt().ifPresent(at -> item.put(KEY_EXPIRES_AT, time(at)));
        key.rateLimit().ifPresent(limit -> {
            item.put(RATE_LIMIT_LIMIT, n(limit.limit()));
            item.put(RATE_LIMIT_WINDOW, n(limit.window().getSeconds()));
        });
        key.revocation().ifPresent(revocation -> {
            item.put(REVOKED_AT, time(revocation.revokedAt()));
            item.put(REVOKED_BY, s(revocation.revokedBy()));
            revocation.reason().filter(text -> !text.isEmpty()).ifPresent(text -> item.put(REVOKE_REASON, s(text)));
        });
        ApiKeySecrets secrets = key.secrets();
        item.put(HASH, b(secrets.current()));
        secrets.previous().ifPresent(hash -> item.put(PREVIOUS_HASH, b(hash)));
        secrets.previousExpiresAt().ifPresent(at -> item.put(PREVIOUS_EXPIRES_AT, time(at)));
        item.put(USE_COUNT, n(key.useCount()));
        key.lastUsedAt().ifPresent(at -> item.put(LAST_USED_AT, time(at)));
        item.put(VERSION, n(key.version()));
        key.credits().ifPresent(credits -> {
            item.put(CREDITS, n(credits.remaining()));
            credits.refill().ifPresent(refill -> {
                item.put(CREDITS_REFILL_INTERVAL, s(refill.interval().text()));
                item.put(CREDITS_REFILL_AMOUNT, n(refill.amount()));
                refill.dayOfMonth().ifPresent(day -> item.put(CREDITS_REFILL_DAY, n(day)));
            });
            credits.refilledAt().ifPresent(at -> item.put(CREDITS_REFILLED_AT, time(at)));
        });
        if (!key.owner().allowedIps().isEmpty()) {
            item.put(ALLOWED_IPS, AttributeValue.fromL(key.owner().allowedIps().stream().map(r -> s(r.text()))
                    .toList()));
        }
        key.owner().externalId().ifPresent(id -> item.put(EXTERNAL_ID, s(id)));
        key.owner().meta().ifPresent(meta -> item.put(META, s(meta)));
        if (!key.rateLimits().isEmpty()) {
            item.put(RATE_LIMITS, AttributeValue.fromL(key.rateLimits().stream().map(l -> AttributeValue.fromM(Map.of(
                    RATE_LIMIT_NAME, s(l.name()), RATE_LIMIT_LIMIT, n(l.limit().limit()),
                    RATE_LIMIT_WINDOW, n(l.limit().window().getSeconds())))).toList()));
        }
        if (!key.ancestors().isEmpty()) {
            item.put(ANCESTORS, AttributeValue.fromL(key.ancestors().stream().map(a -> {
                Map<String, AttributeValue> ancestor = new HashMap<>();
                ancestor.put(ANCESTOR_ID, s(a.keyId()));
                a.rateLimit().ifPresent(limit -> {
                    ancestor.put(RATE_LIMIT_LIMIT, n(limit.limit()));
                    ancestor.put(RATE_LIMIT_WINDOW, n(limit.window().getSeconds()));
                });
                return AttributeValue.fromM(ancestor);
            }).toList()));
        }
        return item;
    }

    private static List<ApiKeyAncestor> ancestors(Map<String, AttributeValue> item) {
        AttributeValue list = item.get(ANCESTORS);
        if (list == null) {
            return List.of();
        }
        return list.l().stream().map(AttributeValue::m).map(a -> new ApiKeyAncestor(a.get(ANCESTOR_ID).s(),
                Optional.ofNullable(a.get(RATE_LIMIT_LIMIT)).map(limit -> RateLimit.perSeconds(
                        Integer.parseInt(limit.n()), Long.parseLong(a.get(RATE_LIMIT_WINDOW).n()))))).toList();
    }

    private static ApiKey toApiKey(Map<String, AttributeValue> item) {
        Optional<RateLimit> rateLimit = Optional.ofNullable(item.get(RATE_LIMIT_LIMIT)).map(limit -> RateLimit
                .perSeconds(Integer.parseInt(limit.n()), Long.parseLong(item.get(RATE_LIMIT_WINDOW).n())));
        Optional<Revocation> revocation = Optional.ofNullable(item.get(REVOKED_AT)).map(at -> new Revocation(
                Instant.parse(at.s()), item.get(REVOKED_BY).s(), text(item, REVOKE_REASON)));
        ApiKeySecrets secrets = new ApiKeySecrets(item.get(HASH).b().asByteArray(),
                Optional.ofNullable(item.get(PREVIOUS_HASH)).map(hash -> hash.b().asByteArray()),
                instant(item, PREVIOUS_EXPIRES_AT));
        return new ApiKey(item.get(KEY_ID).s(), item.get(ORGANIZATION_ID).s(), item.get(NAME).s(),
                text(item, DESCRIPTION), item.get(PERMISSIONS).l().stream().map(AttributeValue::s).toList(),
                Instant.parse(item.get(CREATED_AT).s()), item.get(CREATED_BY).s(), instant(item, KEY_EXPIRES_AT),
                rateLimit, revocation, secrets, Long.parseLong(item.get(USE_COUNT).n()),
                instant(item, LAST_USED_AT), Long.parseLong(item.get(VERSION).n()), ancestors(item), credits(item),
                rateLimits(item), owner(item));
    }

    private static ApiKeyOwnerData owner(Map<String, AttributeValue> item) {
        AttributeValue ranges = item.get(ALLOWED_IPS);
        List<IpRange> allowed = ranges == null ? List.of() : ranges.l().stream()
                .map(r -> IpRange.parse(r.s()).orElseThrow()).toList();
        if (allowed.isEmpty() && !item.containsKey(EXTERNAL_ID) && !item.containsKey(META)) {
            return ApiKeyOwnerData.NONE;
        }
        return new ApiKeyOwnerData(allowed, text(item, EXTERNAL_ID), text(item, META));
    }

    private static List<NamedRateLimit> rateLimits(Map<String, AttributeValue> item) {
        AttributeValue list = item.get(RATE_LIMITS);
        if (list == null) {
            return List.of();
        }
        return list.l().stream().map(AttributeValue::m).map(l -> new NamedRateLimit(l.get(RATE_LIMIT_NAME).s(),
                RateLimit.perSeconds(Integer.parseInt(l.get(RATE_LIMIT_LIMIT).n()),
                        Long.parseLong(l.get(RATE_LIMIT_WINDOW).n())))).toList();
    }

    private static Optional<ApiKeyCredits> credits(Map<String, AttributeValue> item) {
        AttributeValue remaining = item.get(CREDITS);
        if (remaining == null) {
            return Optional.empty();
        }
        Optional<CreditRefill> refill = text(item, CREDITS_REFILL_INTERVAL).map(interval -> new CreditRefill(
                CreditRefill.Interval.valueOf(interval.toUpperCase(java.util.Locale.ROOT)),
                Long.parseLong(item.get(CREDITS_REFILL_AMOUNT).n()),
                Optional.ofNullable(item.get(CREDITS_REFILL_DAY)).map(day -> Integer.parseInt(day.n()))));
        Map<String, MeteredWindow> windows = new HashMap<>();
        item.forEach((name, value) -> {
            AttributeValue count = item.get(METERED_COUNT + name.substring(Math.min(name.length(),
                    METERED_START.length())));
            if (name.startsWith(METERED_START) && count != null) {
                windows.put(name.substring(METERED_START.length()), new MeteredWindow(Long.parseLong(value.n()),
                        Long.parseLong(count.n())));
            }
        });
        return Optional.of(new ApiKeyCredits(Math.max(0, Long.parseLong(remaining.n())), refill,
                instant(item, CREDITS_REFILLED_AT), windows));
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> item, String name) {
        return text(item, name).map(Instant::parse);
    }

    private static AttributeValue time(Instant instant) {
        return s(formatTime(instant));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeValue b(byte[] value) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(value));
    }

    /** The {@code ExclusiveStartKey} on {@code gsi1} of a key's cursor: the table's and the index's keys. */
    private static Map<String, AttributeValue> startKey(String cursorText, String organizationId) {
        ListCursor cursor = ListCursor.decode(cursorText, organizationId, ApiKeyToken::isKeyId)
                .orElseThrow(() -> ApiKeyException.invalid("cursor", "INVALID",
                        "Query 'cursor' is not a cursor of this list."));
        Map<String, AttributeValue> start = new HashMap<>(key(cursor.id()));
        start.put(LatchkeyTable.GSI1_PK, s(Keys.organizationPk(organizationId)));
        start.put(LatchkeyTable.GSI1_SK, s(cursor.gsi1SortKey(Keys.API_KEY)));
        return start;
    }

    /** The cursor after this item of the organization's list. */
    private static String cursorAfter(String organizationId, Map<String, AttributeValue> item) {
        return ListCursor.after(organizationId, Keys.API_KEY, item).encode();
    }
}
