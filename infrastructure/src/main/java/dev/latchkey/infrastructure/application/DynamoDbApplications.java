package dev.latchkey.infrastructure.application;

import dev.latchkey.core.application.Application;
import dev.latchkey.core.application.ApplicationException;
import dev.latchkey.core.application.ApplicationType;
import dev.latchkey.core.application.Applications;
import dev.latchkey.core.application.IdTokenAlgorithm;
import dev.latchkey.core.application.TokenEndpointAuthMethod;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientCommands;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientSecret;
import dev.latchkey.core.id.IdPrefix;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Applications in the single table, one item each (docs/data-model.md): {@code pk = APP#<clientId>},
 * {@code sk = APP}, {@code gsi1pk = ORG#<orgId>}, {@code gsi1sk = APP#<createdAt, millis>#<clientId>} (API keys and
 * service clients share {@code gsi1pk}: the listing says {@code begins_with APP#}), {@code type = APPLICATION}; the
 * settings ({@code name, applicationType, tokenEndpointAuthMethod, redirectUris, postLogoutRedirectUris, scopes,
 * firstParty, idTokenSignedResponseAlg}), {@code createdAt, createdBy, version} (N), and the credentials inside the
 * item: {@code secrets} (L of M: {@code secretId, hash} (B, the keyed hash, never the secret), {@code createdAt,
 * createdBy, secretExpiresAt?, revokedAt?}) and {@code keys} (L of M: {@code keyId, kid, algorithm, publicKey} (B,
 * SubjectPublicKeyInfo DER), {@code createdAt, createdBy, notAfter?, revokedAt?}). One item, because an application
 * holds a handful of credentials at most and the token endpoint then needs one {@code GetItem}.
 *
 * <p>Beside it, a marker in the organization's partition ({@code ORG#<orgId>}/{@code APP#<clientId>},
 * {@code type = APPLICATION_MARKER}), put and deleted in the application's own create and delete transactions, as a
 * service client's: the organization's delete counts its applications with its one consistent {@code Query} of that
 * partition (docs/organizations.md), never through the eventually consistent index.
 *
 * <p><b>Requests.</b> {@link #find}: one consistent {@code GetItem}. {@link #list}: one {@code Query} on {@code gsi1}.
 * {@link #create}: one {@code TransactWriteItems} (the put with {@code attribute_not_exists(pk)}, the marker,
 * {@code ADD version} on the organization with {@code attribute_exists(pk)}, the audit event). {@link #update}: one
 * {@code TransactWriteItems} (the put conditioned on the version read and the organization, the audit event);
 * {@link #delete} the same with the delete and the marker's. Every SDK failure becomes
 * {@code StoreUnavailableException}.
 */
public final class DynamoDbApplications implements Applications {

    static final String TYPE = "APPLICATION";
    static final String MARKER_TYPE = "APPLICATION_MARKER";

    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbApplications(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public Optional<Application> find(String clientId) {
        if (!ClientCommands.isId(IdPrefix.APPLICATION, clientId)) {
            return Optional.empty();
        }
        return table.get("application read", Keys.application(clientId)).map(item -> toApplication(item, true));
    }

    @Override
    public List<Application> list(String organizationId, int limit) {
        Objects.requireNonNull(organizationId, "organizationId");
        return table.query("application list", q -> q
                .indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :gpk AND begins_with(#gsk, :prefix)")
                .scanIndexForward(false)
                .limit(limit)
                .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                .expressionAttributeValues(Map.of(":gpk", s(Keys.organizationPk(organizationId)),
                        ":prefix", s(Keys.APPLICATION))))
                .items().stream().map(item -> toApplication(item, false)).toList();
    }

    @Override
    public void create(Application created, AuditEvent event) {
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(toItem(created))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(table.name())
                        .item(markerItem(created.organizationId(), created.clientId()))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build(),
                OrganizationItem.bumpVersion(table.name(), created.organizationId()),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("application create", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            throw ApplicationException.conflict("EXISTS", "An application with this id exists.");
        }
        if (Transactions.failedCondition(reasons, 2)) {
            throw ApplicationException.notFound();
        }
        throw Transactions.cancelled("application create", reasons, 3);
    }

    @Override
    public void update(Application changed, AuditEvent event) {
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(toItem(changed))
                        .conditionExpression("#version = :expected AND #org = :org")
                        .expressionAttributeNames(Map.of("#version", "version", "#org", "organizationId"))
                        .expressionAttributeValues(Map.of(":expected", n(changed.version() - 1),
                                ":org", s(changed.organizationId())))).build(),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("application update", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw changedMeanwhile();
        }
        throw Transactions.cancelled("application update", reasons, 1);
    }

    @Override
    public void delete(Application deleted, AuditEvent event) {
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(Keys.application(deleted.clientId()))
                        .conditionExpression("#version = :seen AND #org = :org")
                        .expressionAttributeNames(Map.of("#version", "version", "#org", "organizationId"))
                        .expressionAttributeValues(Map.of(":seen", n(deleted.version()),
                                ":org", s(deleted.organizationId())))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(Keys.applicationMarker(deleted.organizationId(), deleted.clientId()))).build(),
                auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("application delete", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw changedMeanwhile();
        }
        throw Transactions.cancelled("application delete", reasons, 2);
    }

    private static ApplicationException changedMeanwhile() {
        return ApplicationException.conflict(ApplicationException.CHANGED, "The application changed meanwhile; retry.");
    }

    /** The application's marker in its organization's partition ({@code ORG#<orgId>}/{@code APP#<clientId>}). */
    private static Map<String, AttributeValue> markerItem(String organizationId, String clientId) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.applicationMarker(organizationId, clientId));
        item.put("type", s(MARKER_TYPE));
        item.put("clientId", s(clientId));
        return item;
    }

    private static Map<String, AttributeValue> toItem(Application app) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.application(app.clientId()));
        item.put(LatchkeyTable.GSI1_PK, s(Keys.organizationPk(app.organizationId())));
        item.put(LatchkeyTable.GSI1_SK, s(ListCursor.gsi1SortKey(Keys.APPLICATION, app.createdAt(),
                app.clientId())));
        item.put("type", s(TYPE));
        item.put("clientId", s(app.clientId()));
        item.put("organizationId", s(app.organizationId()));
        item.put("name", s(app.name()));
        item.put("applicationType", s(app.type().wireName()));
        item.put("tokenEndpointAuthMethod", s(app.tokenEndpointAuthMethod().wireName()));
        item.put("redirectUris", list(app.redirectUris()));
        item.put("postLogoutRedirectUris", list(app.postLogoutRedirectUris()));
        item.put("scopes", list(app.scopes()));
        item.put("firstParty", AttributeValue.fromBool(app.firstParty()));
        item.put("idTokenSignedResponseAlg", s(app.idTokenSignedResponseAlg().name()));
        item.put("createdAt", time(app.createdAt()));
        item.put("createdBy", s(app.createdBy()));
        item.put("version", n(app.version()));
        item.put("secrets", AttributeValue.fromL(app.secrets().stream().map(DynamoDbApplications::toMap).toList()));
        item.put("keys", AttributeValue.fromL(app.keys().stream().map(DynamoDbApplications::toMap).toList()));
        return item;
    }

    private static AttributeValue toMap(ClientSecret secret) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("secretId", s(secret.secretId()));
        map.put("hash", AttributeValue.fromB(SdkBytes.fromByteArray(secret.hash())));
        map.put("createdAt", time(secret.createdAt()));
        map.put("createdBy", s(secret.createdBy()));
        secret.expiresAt().ifPresent(at -> map.put("secretExpiresAt", time(at)));
        secret.revokedAt().ifPresent(at -> map.put("revokedAt", time(at)));
        return AttributeValue.fromM(map);
    }

    private static AttributeValue toMap(ClientKey key) {
        Map<String, AttributeValue> map = new HashMap<>();
        map.put("keyId", s(key.keyId()));
        map.put("kid", s(key.kid()));
        map.put("algorithm", s(key.algorithm()));
        map.put("publicKey", AttributeValue.fromB(SdkBytes.fromByteArray(key.subjectPublicKeyInfo())));
        map.put("createdAt", time(key.createdAt()));
        map.put("createdBy", s(key.createdBy()));
        key.notAfter().ifPresent(at -> map.put("notAfter", time(at)));
        key.revokedAt().ifPresent(at -> map.put("revokedAt", time(at)));
        return AttributeValue.fromM(map);
    }

    private static Application toApplication(Map<String, AttributeValue> item, boolean withCredentials) {
        List<ClientSecret> secrets = new ArrayList<>();
        List<ClientKey> keys = new ArrayList<>();
        if (withCredentials) {
            item.get("secrets").l().forEach(v -> secrets.add(toSecret(v.m())));
            item.get("keys").l().forEach(v -> keys.add(toKey(v.m())));
        }
        return new Application(item.get("clientId").s(), item.get("organizationId").s(), item.get("name").s(),
                ApplicationType.fromWireName(item.get("applicationType").s()).orElseThrow(),
                TokenEndpointAuthMethod.fromWireName(item.get("tokenEndpointAuthMethod").s()).orElseThrow(),
                strings(item.get("redirectUris")), strings(item.get("postLogoutRedirectUris")),
                strings(item.get("scopes")), item.get("firstParty").bool(),
                IdTokenAlgorithm.fromName(item.get("idTokenSignedResponseAlg").s()).orElseThrow(),
                Instant.parse(item.get("createdAt").s()), item.get("createdBy").s(), secrets, keys,
                Long.parseLong(item.get("version").n()));
    }

    private static ClientSecret toSecret(Map<String, AttributeValue> map) {
        return new ClientSecret(map.get("secretId").s(), map.get("hash").b().asByteArray(),
                Instant.parse(map.get("createdAt").s()), map.get("createdBy").s(), instant(map, "secretExpiresAt"),
                instant(map, "revokedAt"));
    }

    private static ClientKey toKey(Map<String, AttributeValue> map) {
        return new ClientKey(map.get("keyId").s(), map.get("kid").s(), map.get("algorithm").s(),
                map.get("publicKey").b().asByteArray(), Instant.parse(map.get("createdAt").s()),
                map.get("createdBy").s(), instant(map, "notAfter"), instant(map, "revokedAt"));
    }

    private static Optional<Instant> instant(Map<String, AttributeValue> map, String name) {
        return Optional.ofNullable(map.get(name)).map(AttributeValue::s).map(Instant::parse);
    }

    private static List<String> strings(AttributeValue value) {
        return value.l().stream().map(AttributeValue::s).toList();
    }

    private static AttributeValue list(List<String> values) {
        return AttributeValue.fromL(values.stream().map(DynamoDbApplications::s).toList());
    }

    private static AttributeValue time(Instant instant) {
        return s(TIME_FORMAT.format(instant));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
