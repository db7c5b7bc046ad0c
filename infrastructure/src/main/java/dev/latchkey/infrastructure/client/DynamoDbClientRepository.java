package dev.latchkey.infrastructure.client;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientCommands;
import dev.latchkey.core.client.ClientException;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientPage;
import dev.latchkey.core.client.ClientQuery;
import dev.latchkey.core.client.ClientRepository;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.client.ServiceClient;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.ListCursor;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Service clients and their credentials in the single table, through the low-level client (docs/data-model.md).
 *
 * <p><b>Items.</b> One partition per client, {@code pk = CLIENT#<clientId>}:
 * <ul>
 *   <li>{@code sk = CLIENT}, {@code gsi1pk = ORG#<orgId>}, {@code gsi1sk = CLIENT#<createdAt, millis>#<clientId>}
 *       (API keys share {@code gsi1pk}, so the listing always says {@code begins_with CLIENT#}),
 *       {@code type = CLIENT}; {@code clientId, organizationId, name, allowedResources} (L of S),
 *       {@code createdAt, createdBy, version} (N);</li>
 *   <li>{@code sk = SECRET#<secretId>}, {@code type = CLIENT_SECRET}; {@code secretId, hash} (B, 32 bytes: the
 *       keyed hash, never the secret), {@code createdAt, createdBy, secretExpiresAt?, revokedAt?};</li>
 *   <li>{@code sk = KEY#<keyId>}, {@code type = CLIENT_KEY}; {@code keyId, kid, algorithm, publicKey} (B, the
 *       SubjectPublicKeyInfo DER), {@code createdAt, createdBy, notAfter?, revokedAt?}.</li>
 * </ul>
 * With every client, its marker {@code ORG#<orgId>}/{@code CLIENT#<clientId>} ({@code type = CLIENT_MARKER,
 * clientId}), written and deleted in the client's transactions, so the organization's delete counts its clients
 * with one consistent {@code Query} of its partition (the index is eventually consistent).
 * A credential that stopped working (revoked, or past its expiry) carries the table's TTL {@code expiresAt}
 * {@value #REMOVE_AFTER_DAYS} days later, so revoked credentials are listed for a while and then go; a live
 * one never has it.
 *
 * <p><b>Requests.</b> {@link #find}: one consistent {@code Query} on the client's partition (a client holds
 * at most 1 + 2 × {@link dev.latchkey.core.client.ManageClients#MAX_STORED_CREDENTIALS} small items, far below a
 * page). {@link #list}: one {@code Query} on {@code gsi1}. Every change is one {@code TransactWriteItems} with the
 * audit event's put, conditioned on the client's {@code version}: {@link #create} adds the marker's {@code Put},
 * {@code ADD version :1} on the organization (with {@code attribute_exists(pk)}) and a {@code ConditionCheck} on
 * each allowed resource ({@code ORG#<orgId>}/{@code RESOURCE#<resourceId>}), as does {@link #update} (the
 * checks); {@link #delete} (with the marker's {@code Delete}) first reads the grants to the client (consistent
 * {@code Query} on {@code ORG#<orgId>}, {@code begins_with GRANT#}, filtered on {@code granteeId}).
 *
 * <p><b>Failures.</b> Every SDK failure becomes {@link StoreUnavailableException}; logs name the exception class
 * and cancellation codes only.
 */
public final class DynamoDbClientRepository implements ClientRepository {

    /** Days a revoked or expired credential stays listed before the table's TTL removes it. */
    public static final int REMOVE_AFTER_DAYS = 30;
    /** Most items of one transaction (DynamoDB's limit). */
    static final int MAX_TRANSACTION_ITEMS = 100;

    static final String GRANTEE_ID = "granteeId";
    static final String MARKER_TYPE = "CLIENT_MARKER";

    static final String CLIENT_ID = "clientId";
    static final String ORGANIZATION_ID = "organizationId";
    static final String NAME = "name";
    static final String ALLOWED_RESOURCES = "allowedResources";
    static final String CREATED_AT = "createdAt";
    static final String CREATED_BY = "createdBy";
    static final String VERSION = "version";
    static final String SECRET_ID = "secretId";
    static final String HASH = "hash";
    static final String SECRET_EXPIRES_AT = "secretExpiresAt";
    static final String REVOKED_AT = "revokedAt";
    static final String KEY_ID = "keyId";
    static final String KID = "kid";
    static final String ALGORITHM = "algorithm";
    static final String PUBLIC_KEY = "publicKey";
    static final String NOT_AFTER = "notAfter";

    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbClientRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** The client item's table key. */
    static Map<String, AttributeValue> clientKey(String clientId) {
        return Keys.client(clientId);
    }

    /** The client's marker in its organization's partition ({@code ORG#<orgId>}/{@code CLIENT#<clientId>}). */
    static Map<String, AttributeValue> markerKey(String organizationId, String clientId) {
        return Keys.clientMarker(organizationId, clientId);
    }

    private static Map<String, AttributeValue> markerItem(String organizationId, String clientId) {
        Map<String, AttributeValue> item = new HashMap<>(markerKey(organizationId, clientId));
        item.put("type", s(MARKER_TYPE));
        item.put(CLIENT_ID, s(clientId));
        return item;
    }

    /** The item's {@code gsi1sk}: creation time to the millisecond, fixed width, then the client id. */
    static String indexSortKey(Instant createdAt, String clientId) {
        return ListCursor.gsi1SortKey(Keys.CLIENT, createdAt, clientId);
    }

    @Override
    public Optional<ServiceClient> find(String clientId) {
        if (!ClientCommands.isId(IdPrefix.CLIENT, clientId)) {
            return Optional.empty();
        }
        List<Map<String, AttributeValue>> items = table.queryAll("client read", q -> q.consistentRead(true)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":pk", s(Keys.clientPk(clientId)))));
        Map<String, AttributeValue> clientItem = null;
        List<ClientSecret> secrets = new ArrayList<>();
        List<ClientKey> keys = new ArrayList<>();
        for (Map<String, AttributeValue> item : items) {
            String sk = item.get(LatchkeyTable.SK).s();
            if (sk.equals(Keys.CLIENT_SK)) {
                clientItem = item;
            } else if (sk.startsWith(Keys.CLIENT_SECRET)) {
                secrets.add(toSecret(item));
            } else if (sk.startsWith(Keys.KEY)) {
                keys.add(toKey(item));
            }
        }
        if (clientItem == null) {
            return Optional.empty();
        }
        return Optional.of(toClient(clientItem, secrets, keys));
    }

    /** One {@code Query} on {@code gsi1} ({@code begins_with(gsi1sk, CLIENT#)}), newest first. */
    @Override
    public ClientPage list(String organizationId, ClientQuery query) {
        Objects.requireNonNull(organizationId, "organizationId");
        Map<String, AttributeValue> startKey = query.cursor()
                .map(text -> startKey(text, organizationId)).orElse(null);
        QueryResponse response = table.query("client list", q -> q
                .indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :gpk AND begins_with(#gsk, :prefix)")
                .scanIndexForward(false)
                .limit(query.limit() + 1)
                .exclusiveStartKey(startKey)
                .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                .expressionAttributeValues(Map.of(":gpk", s(Keys.organizationPk(organizationId)),
                        ":prefix", s(Keys.CLIENT))));
        List<Map<String, AttributeValue>> items = response.items();
        List<ServiceClient> clients = new ArrayList<>();
        for (int i = 0; i < items.size() && i < query.limit(); i++) {
            clients.add(toClient(items.get(i), List.of(), List.of()));
        }
        boolean more = items.size() > query.limit() || (items.size() == query.limit() && SingleTable.hasMore(response));
        Optional<String> next = more && !clients.isEmpty()
                ? Optional.of(cursorAfter(organizationId, items.get(clients.size() - 1))) : Optional.empty();
        return new ClientPage(clients, next);
    }

    @Override
    public void create(ServiceClient created, AuditEvent event) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(toItem(created))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build());
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name())
                .item(markerItem(created.organizationId(), created.clientId()))).build());
        for (ClientSecret secret : created.secrets()) {
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name())
                    .item(toItem(created.clientId(), secret))).build());
        }
        for (ClientKey key : created.keys()) {
            items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name())
                    .item(toItem(created.clientId(), key))).build());
        }
        int organizationIndex = items.size();
        items.add(OrganizationItem.bumpVersion(table.name(), created.organizationId()));
        int resourcesIndex = items.size();
        items.addAll(resourceChecks(created));
        int auditIndex = items.size();
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("client create", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw ClientException.conflict("EXISTS", "A client with this id exists.");
        }
        if (Transactions.failedCondition(reasons, organizationIndex)) {
            throw ClientException.notFound();
        }
        throwIfUnknownResource(reasons, resourcesIndex, auditIndex);
        throw Transactions.cancelled("client create", reasons, auditIndex);
    }

    @Override
    public void update(ServiceClient changed, AuditEvent event) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(clientKey(changed.clientId()))
                .updateExpression("SET #name = :name, #resources = :resources, #version = :version")
                .conditionExpression("#version = :expected AND #org = :org")
                .expressionAttributeNames(Map.of("#name", NAME, "#resources", ALLOWED_RESOURCES,
                        "#version", VERSION, "#org", ORGANIZATION_ID))
                .expressionAttributeValues(Map.of(":name", s(changed.name()),
                        ":resources", list(changed.allowedResources()), ":version", n(changed.version()),
                        ":expected", n(changed.version() - 1), ":org", s(changed.organizationId())))).build());
        items.addAll(resourceChecks(changed));
        int auditIndex = items.size();
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("client update", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw changedMeanwhile();
        }
        throwIfUnknownResource(reasons, 1, auditIndex);
        throw Transactions.cancelled("client update", reasons, auditIndex);
    }

    @Override
    public void saveSecret(ServiceClient changed, String secretId, AuditEvent event) {
        ClientSecret secret = changed.secret(secretId).orElseThrow(() -> new IllegalArgumentException(
                "the changed client has no such secret"));
        saveCredential(changed, toItem(changed.clientId(), secret), event, "client secret write");
    }

    @Override
    public void saveKey(ServiceClient changed, String keyId, AuditEvent event) {
        ClientKey key = changed.key(keyId).orElseThrow(() -> new IllegalArgumentException(
                "the changed client has no such key"));
        saveCredential(changed, toItem(changed.clientId(), key), event, "client key write");
    }

    /**
     * The client's {@code SET version} conditioned on the version read, the credential's {@code Put} (safe without
     * its own condition: every credential write moves the version, so two writes never both pass), the audit event.
     */
    private void saveCredential(ServiceClient changed, Map<String, AttributeValue> item, AuditEvent event,
            String what) {
        List<TransactWriteItem> items = List.of(
                versionUpdate(changed),
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item)).build(),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite(what, items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw changedMeanwhile();
        }
        throw Transactions.cancelled(what, reasons, 2);
    }

    @Override
    public void delete(ServiceClient deleted, AuditEvent event) {
        List<Map<String, AttributeValue>> grants = grantKeys(deleted);
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                .key(clientKey(deleted.clientId()))
                .conditionExpression("#version = :seen AND #org = :org")
                .expressionAttributeNames(Map.of("#version", VERSION, "#org", ORGANIZATION_ID))
                .expressionAttributeValues(Map.of(":seen", n(deleted.version()),
                        ":org", s(deleted.organizationId())))).build());
        items.add(table.delete(markerKey(deleted.organizationId(), deleted.clientId())));
        for (ClientSecret secret : deleted.secrets()) {
            items.add(table.delete(Keys.clientSecret(deleted.clientId(), secret.secretId())));
        }
        for (ClientKey key : deleted.keys()) {
            items.add(table.delete(Keys.clientKey(deleted.clientId(), key.keyId())));
        }
        int room = MAX_TRANSACTION_ITEMS - items.size() - 1;
        List<Map<String, AttributeValue>> inTransaction = grants.subList(0, Math.min(room, grants.size()));
        inTransaction.forEach(grant -> items.add(table.delete(grant)));
        int auditIndex = items.size();
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("client delete", items);
        if (!reasons.isEmpty()) {
            if (Transactions.failedCondition(reasons, 0)) {
                throw changedMeanwhile();
            }
            throw Transactions.cancelled("client delete", reasons, auditIndex);
        }
        for (Map<String, AttributeValue> grant : grants.subList(inTransaction.size(), grants.size())) {
            table.call("client grant delete", () -> table.client().deleteItem(d -> d.tableName(table.name())
                    .key(grant)));
        }
    }

    /** The table keys of every grant to the client in its organization: consistent, all pages. */
    private List<Map<String, AttributeValue>> grantKeys(ServiceClient deleted) {
        return table.queryAll("client grants read", q -> q.consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .filterExpression("#grantee = :client")
                .projectionExpression("#pk, #sk")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK,
                        "#grantee", GRANTEE_ID))
                .expressionAttributeValues(Map.of(":pk", s(Keys.organizationPk(deleted.organizationId())),
                        ":prefix", s(Keys.GRANT), ":client", s(deleted.clientId()))))
                .stream().map(Keys::keyOf).toList();
    }

    private TransactWriteItem versionUpdate(ServiceClient changed) {
        return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(clientKey(changed.clientId()))
                .updateExpression("SET #version = :version")
                .conditionExpression("#version = :expected AND #org = :org")
                .expressionAttributeNames(Map.of("#version", VERSION, "#org", ORGANIZATION_ID))
                .expressionAttributeValues(Map.of(":version", n(changed.version()),
                        ":expected", n(changed.version() - 1), ":org", s(changed.organizationId())))).build();
    }

    private List<TransactWriteItem> resourceChecks(ServiceClient checked) {
        List<TransactWriteItem> checks = new ArrayList<>();
        for (String resourceId : checked.allowedResources()) {
            checks.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                    .key(Keys.resource(checked.organizationId(), resourceId))
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build());
        }
        return checks;
    }

    private static void throwIfUnknownResource(List<String> reasons, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Transactions.failedCondition(reasons, i)) {
                throw ClientException.invalid("allowed_resources", "UNKNOWN_RESOURCE",
                        "Field 'allowed_resources' names a resource that is not in this organization.");
            }
        }
    }

    private static ClientException changedMeanwhile() {
        return ClientException.conflict(CHANGED, "The client changed meanwhile; retry.");
    }

    private static Map<String, AttributeValue> toItem(ServiceClient serviceClient) {
        Map<String, AttributeValue> item = new HashMap<>(clientKey(serviceClient.clientId()));
        item.put(LatchkeyTable.GSI1_PK, s(Keys.organizationPk(serviceClient.organizationId())));
        item.put(LatchkeyTable.GSI1_SK, s(indexSortKey(serviceClient.createdAt(), serviceClient.clientId())));
        item.put("type", s("CLIENT"));
        item.put(CLIENT_ID, s(serviceClient.clientId()));
        item.put(ORGANIZATION_ID, s(serviceClient.organizationId()));
        item.put(NAME, s(serviceClient.name()));
        item.put(ALLOWED_RESOURCES, list(serviceClient.allowedResources()));
        item.put(CREATED_AT, time(serviceClient.createdAt()));
        item.put(CREATED_BY, s(serviceClient.createdBy()));
        item.put(VERSION, n(serviceClient.version()));
        return item;
    }

    private static Map<String, AttributeValue> toItem(String clientId, ClientSecret secret) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.clientSecret(clientId, secret.secretId()));
        item.put("type", s("CLIENT_SECRET"));
        item.put(SECRET_ID, s(secret.secretId()));
        item.put(HASH, AttributeValue.fromB(SdkBytes.fromByteArray(secret.hash())));
        item.put(CREATED_AT, time(secret.createdAt()));
        item.put(CREATED_BY, s(secret.createdBy()));
        secret.expiresAt().ifPresent(at -> item.put(SECRET_EXPIRES_AT, time(at)));
        secret.revokedAt().ifPresent(at -> item.put(REVOKED_AT, time(at)));
        stoppedAt(secret.revokedAt(), secret.expiresAt()).ifPresent(at -> item.put(LatchkeyTable.TTL_ATTRIBUTE,
                n(at.plus(Duration.ofDays(REMOVE_AFTER_DAYS)).getEpochSecond())));
        return item;
    }

    private static Map<String, AttributeValue> toItem(String clientId, ClientKey key) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.clientKey(clientId, key.keyId()));
        item.put("type", s("CLIENT_KEY"));
        item.put(KEY_ID, s(key.keyId()));
        item.put(KID, s(key.kid()));
        item.put(ALGORITHM, s(key.algorithm()));
        item.put(PUBLIC_KEY, AttributeValue.fromB(SdkBytes.fromByteArray(key.subjectPublicKeyInfo())));
        item.put(CREATED_AT, time(key.createdAt()));
        item.put(CREATED_BY, s(key.createdBy()));
        key.notAfter().ifPresent(at -> item.put(NOT_AFTER, time(at)));
        key.revokedAt().ifPresent(at -> item.put(REVOKED_AT, time(at)));
        stoppedAt(key.revokedAt(), key.notAfter()).ifPresent(at -> item.put(LatchkeyTable.TTL_ATTRIBUTE,
                n(at.plus(Duration.ofDays(REMOVE_AFTER_DAYS)).getEpochSecond())));
        return item;
    }

    /** When a credential stops working for good: its revocation, else its expiry, else never. */
    private static Optional<Instant> stoppedAt(Optional<Instant> revokedAt, Optional<Instant> expiresAt) {
        if (revokedAt.isPresent() && expiresAt.isPresent()) {
            return Optional.of(revokedAt.get().isBefore(expiresAt.get()) ? revokedAt.get() : expiresAt.get());
        }
        return revokedAt.or(() -> expiresAt);
    }

    private static ServiceClient toClient(Map<String, AttributeValue> item, List<ClientSecret> secrets,
            List<ClientKey> keys) {
        return new ServiceClient(item.get(CLIENT_ID).s(), item.get(ORGANIZATION_ID).s(), item.get(NAME).s(),
                item.get(ALLOWED_RESOURCES).l().stream().map(AttributeValue::s).toList(),
                Instant.parse(item.get(CREATED_AT).s()), item.get(CREATED_BY).s(), secrets, keys,
                Long.parseLong(item.get(VERSION).n()));
    }

    private static ClientSecret toSecret(Map<String, AttributeValue> item) {
        return new ClientSecret(item.get(SECRET_ID).s(), item.get(HASH).b().asByteArray(),
                Instant.parse(item.get(CREATED_AT).s()), item.get(CREATED_BY).s(), instant(item, SECRET_EXPIRES_AT),
                instant(item, REVOKED_AT));
    }

    private static ClientKey toKey(Map<String, AttributeValue> item) {
        return new ClientKey(item.get(KEY_ID).s(), item.get(KID).s(), item.get(ALGORITHM).s(),
                item.get(PUBLIC_KEY).b().asByteArray(), Instant.parse(item.get(CREATED_AT).s()),
                item.get(CREATED_BY).s(), instant(item, NOT_AFTER), instant(item, REVOKED_AT));
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> item, String name) {
        return Optional.ofNullable(item.get(name)).map(AttributeValue::s).map(Instant::parse);
    }

    private static AttributeValue time(Instant instant) {
        return s(TIME_FORMAT.format(instant));
    }

    private static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(DynamoDbClientRepository::s).toList());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The {@code ExclusiveStartKey} on {@code gsi1} of a client's cursor: the table's and the index's keys. */
    private static Map<String, AttributeValue> startKey(String cursorText, String organizationId) {
        ListCursor cursor = ListCursor.decode(cursorText, organizationId,
                id -> ClientCommands.isId(IdPrefix.CLIENT, id))
                .orElseThrow(() -> ClientException.invalid("cursor", "INVALID",
                        "Query 'cursor' is not a cursor of this list."));
        Map<String, AttributeValue> start = new HashMap<>(clientKey(cursor.id()));
        start.put(LatchkeyTable.GSI1_PK, s(Keys.organizationPk(organizationId)));
        start.put(LatchkeyTable.GSI1_SK, s(cursor.gsi1SortKey(Keys.CLIENT)));
        return start;
    }

    /** The cursor after this item of the organization's list. */
    private static String cursorAfter(String organizationId, Map<String, AttributeValue> item) {
        return ListCursor.after(organizationId, Keys.CLIENT, item).encode();
    }
}
