package dev.latchkey.infrastructure.session;

import dev.latchkey.core.session.AccessTokenRecords;
import dev.latchkey.core.session.RefreshTokenRecord;
import dev.latchkey.core.session.RefreshTokenState;
import dev.latchkey.core.session.Rotation;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Sessions and refresh tokens in the single table (docs/data-model.md):
 * <ul>
 *   <li>{@code SESSION#<sessionId>} / {@code SESSION}: {@code sessionId, userId, org, amr, authTime,
 *       createdAt, lastUsedAt, idleExpiresAt, absoluteExpiresAt} (epoch milliseconds, numbers, so
 *       conditions compare them), {@code generation, status, revokedAt?, revokeReason?},
 *       {@code gsi1pk = USER#<userId>}, {@code gsi1sk = SESSION#<createdAt, uuuu-MM-ddTHH:mm:ss.SSSZ>},
 *       TTL {@code expiresAt} = absolute expiry + 1 day (epoch seconds, as its refresh tokens);</li>
 *   <li>{@code REFRESH#<HMAC-SHA256(pepper, token), base64url>} / {@code REFRESH}: {@code sessionId,
 *       generation, state (ACTIVE|ROTATED), rotatedAt?, successorSealed?}, TTL {@code expiresAt};</li>
 *   <li>{@code REVOKED_JTI#<jti>} / {@code REVOKED_JTI}: the access-token deny-list, one item per revoked
 *       {@code jti}: {@code revokedAt} (epoch milliseconds), TTL {@code expiresAt} = the token's {@code exp} + the
 *       largest verifier leeway.</li>
 * </ul>
 * Reads are strongly consistent {@code GetItem}s (the user index excepted) and, for an access token's liveness,
 * one strongly consistent {@code BatchGetItem} of its session and its deny-list item; the rotation is one
 * {@code TransactWriteItems} of three conditional writes; revocation one conditional
 * {@code UpdateItem}; a deny-list entry one conditional {@code PutItem}. SDK failures become
 * {@link StoreUnavailableException}.
 */
public final class DynamoDbSessionRepository implements SessionRepository {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbSessionRepository.class);
    static final String SESSION_PREFIX = "SESSION#";
    static final String SESSION_SK = "SESSION";
    static final String REFRESH_PREFIX = "REFRESH#";
    static final String REFRESH_SK = "REFRESH";
    static final String REVOKED_JTI_PREFIX = "REVOKED_JTI#";
    static final String REVOKED_JTI_SK = "REVOKED_JTI";
    /** UnprocessedKeys of a two-key batch are retried this often before the read counts as failed. */
    private static final int BATCH_ATTEMPTS = 4;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> LOST_RACE = Set.of("ConditionalCheckFailed", "TransactionConflict", "None");

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     */
    public DynamoDbSessionRepository(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    @Override
    public void create(Session session, RefreshTokenRecord firstToken) {
        List<TransactWriteItem> writes = List.of(
                TransactWriteItem.builder().put(p -> p.tableName(tableName).item(sessionItem(session))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build(),
                TransactWriteItem.builder().put(p -> p.tableName(tableName).item(refreshItem(firstToken))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build());
        try {
            client.transactWriteItems(b -> b.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (reasons(e).contains("ConditionalCheckFailed")) {
                throw new IllegalStateException("session or refresh token id already exists");
            }
            throw unavailable("session create", e);
        } catch (SdkException e) {
            throw unavailable("session create", e);
        }
    }

    @Override
    public Optional<RefreshTokenRecord> findRefreshToken(String tokenId) {
        return get(REFRESH_PREFIX + tokenId, REFRESH_SK).map(item -> toRefresh(tokenId, item));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return get(SESSION_PREFIX + sessionId, SESSION_SK).map(DynamoDbSessionRepository::toSession);
    }

    @Override
    public boolean rotate(Rotation rotation) {
        String generation = Long.toString(rotation.expectedGeneration());
        String next = Long.toString(rotation.expectedGeneration() + 1);
        String now = millis(rotation.now());
        TransactWriteItem rotateOld = TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(key(REFRESH_PREFIX + rotation.currentTokenId(), REFRESH_SK))
                .updateExpression("SET #state = :rotated, rotatedAt = :now, successorSealed = :sealed")
                .conditionExpression("#state = :active AND sessionId = :sid AND generation = :gen")
                .expressionAttributeNames(Map.of("#state", "state"))
                .expressionAttributeValues(Map.of(
                        ":rotated", s(RefreshTokenState.ROTATED.name()),
                        ":active", s(RefreshTokenState.ACTIVE.name()),
                        ":now", n(now),
                        ":sealed", s(rotation.successorSealed()),
                        ":sid", s(rotation.sessionId()),
                        ":gen", n(generation)))).build();
        RefreshTokenRecord successor = RefreshTokenRecord.active(rotation.successorTokenId(), rotation.sessionId(),
                rotation.expectedGeneration() + 1, rotation.tokenExpiresAt());
        TransactWriteItem putNew = TransactWriteItem.builder().put(p -> p.tableName(tableName)
                .item(refreshItem(successor))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build();
        TransactWriteItem advanceSession = TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(key(SESSION_PREFIX + rotation.sessionId(), SESSION_SK))
                .updateExpression("SET generation = :next, lastUsedAt = :now, idleExpiresAt = :idle")
                .conditionExpression("#status = :active AND generation = :gen AND idleExpiresAt > :now"
                        + " AND absoluteExpiresAt > :now")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":next", n(next),
                        ":now", n(now),
                        ":idle", n(millis(rotation.idleExpiresAt())),
                        ":active", s(SessionStatus.ACTIVE.name()),
                        ":gen", n(generation)))).build();
        try {
            client.transactWriteItems(b -> b.transactItems(rotateOld, putNew, advanceSession));
            return true;
        } catch (TransactionCanceledException e) {
            if (LOST_RACE.containsAll(reasons(e))) {
                return false;
            }
            throw unavailable("refresh rotation", e);
        } catch (SdkException e) {
            throw unavailable("refresh rotation", e);
        }
    }

    @Override
    public boolean revoke(String sessionId, Instant at, SessionEndReason reason) {
        try {
            client.updateItem(u -> u.tableName(tableName)
                    .key(key(SESSION_PREFIX + sessionId, SESSION_SK))
                    .updateExpression("SET #status = :revoked, revokedAt = :at, revokeReason = :reason")
                    .conditionExpression("#status = :active")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":revoked", s(SessionStatus.REVOKED.name()),
                            ":active", s(SessionStatus.ACTIVE.name()),
                            ":at", n(millis(at)),
                            ":reason", s(reason.code()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw unavailable("session revoke", e);
        }
    }

    @Override
    public AccessTokenRecords findAccessTokenRecords(String jwtId, Optional<String> sessionId) {
        Map<String, AttributeValue> deny = key(REVOKED_JTI_PREFIX + jwtId, REVOKED_JTI_SK);
        if (sessionId.isEmpty()) {
            boolean revoked = get(REVOKED_JTI_PREFIX + jwtId, REVOKED_JTI_SK).isPresent();
            return new AccessTokenRecords(Optional.empty(), revoked);
        }
        Map<String, AttributeValue> session = key(SESSION_PREFIX + sessionId.get(), SESSION_SK);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<Map<String, AttributeValue>> pending = List.of(session, deny);
        try {
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                if (attempt == BATCH_ATTEMPTS) {
                    throw new StoreUnavailableException(new IllegalStateException("keys left unprocessed"));
                }
                List<Map<String, AttributeValue>> keys = pending;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(Map.of(tableName,
                        KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
                items.addAll(response.responses().getOrDefault(tableName, List.of()));
                KeysAndAttributes left = response.hasUnprocessedKeys()
                        ? response.unprocessedKeys().get(tableName) : null;
                pending = left == null || !left.hasKeys() ? List.of() : left.keys();
            }
        } catch (SdkException e) {
            throw unavailable("access-token check", e);
        }
        Optional<Session> found = items.stream().filter(item -> SESSION_SK.equals(item.get(LatchkeyTable.SK).s()))
                .findFirst().map(DynamoDbSessionRepository::toSession);
        boolean revoked = items.stream().anyMatch(item -> REVOKED_JTI_SK.equals(item.get(LatchkeyTable.SK).s()));
        return new AccessTokenRecords(found, revoked);
    }

    @Override
    public boolean denyAccessToken(String jwtId, Instant revokedAt, Instant until) {
        Map<String, AttributeValue> item = new HashMap<>(key(REVOKED_JTI_PREFIX + jwtId, REVOKED_JTI_SK));
        item.put("revokedAt", n(millis(revokedAt)));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, n(Long.toString(ttl(until))));
        try {
            client.putItem(p -> p.tableName(tableName).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw unavailable("access-token revoke", e);
        }
    }

    @Override
    public List<Session> findByUser(String userId) {
        List<Session> sessions = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> exclusiveStart = start;
                QueryResponse page = client.query(q -> q.tableName(tableName).indexName(LatchkeyTable.GSI1)
                        .keyConditionExpression("#gpk = :gpk AND begins_with(#gsk, :prefix)")
                        .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                        .expressionAttributeValues(Map.of(":gpk", s("USER#" + userId), ":prefix", s(SESSION_PREFIX)))
                        .scanIndexForward(false)
                        .exclusiveStartKey(exclusiveStart));
                page.items().forEach(item -> sessions.add(toSession(item)));
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            } while (start != null);
        } catch (SdkException e) {
            throw unavailable("session query", e);
        }
        return sessions;
    }

    private Optional<Map<String, AttributeValue>> get(String pk, String sk) {
        try {
            var response = client.getItem(g -> g.tableName(tableName).key(key(pk, sk)).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (SdkException e) {
            throw unavailable("session read", e);
        }
    }

    private static Map<String, AttributeValue> sessionItem(Session session) {
        Map<String, AttributeValue> item = new HashMap<>(key(SESSION_PREFIX + session.sessionId(), SESSION_SK));
        item.put("sessionId", s(session.sessionId()));
        item.put("userId", s(session.userId()));
        item.put("org", s(session.organizationId()));
        item.put("amr", AttributeValue.fromL(session.amr().stream().map(DynamoDbSessionRepository::s).toList()));
        item.put("authTime", n(millis(session.authTime())));
        item.put("createdAt", n(millis(session.createdAt())));
        item.put("lastUsedAt", n(millis(session.lastUsedAt())));
        item.put("idleExpiresAt", n(millis(session.idleExpiresAt())));
        item.put("absoluteExpiresAt", n(millis(session.absoluteExpiresAt())));
        item.put("generation", n(Long.toString(session.generation())));
        item.put("status", s(session.status().name()));
        session.revokedAt().ifPresent(at -> item.put("revokedAt", n(millis(at))));
        session.revokeReason().ifPresent(reason -> item.put("revokeReason", s(reason.code())));
        item.put(LatchkeyTable.GSI1_PK, s("USER#" + session.userId()));
        item.put(LatchkeyTable.GSI1_SK, s(SESSION_PREFIX + TIME.format(session.createdAt())));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, n(Long.toString(ttl(session.refreshTokenExpiry()))));
        return item;
    }

    private static Map<String, AttributeValue> refreshItem(RefreshTokenRecord token) {
        Map<String, AttributeValue> item = new HashMap<>(key(REFRESH_PREFIX + token.tokenId(), REFRESH_SK));
        item.put("sessionId", s(token.sessionId()));
        item.put("generation", n(Long.toString(token.generation())));
        item.put("state", s(token.state().name()));
        token.rotatedAt().ifPresent(at -> item.put("rotatedAt", n(millis(at))));
        token.successorSealed().ifPresent(sealed -> item.put("successorSealed", s(sealed)));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, n(Long.toString(ttl(token.expiresAt()))));
        return item;
    }

    private static Session toSession(Map<String, AttributeValue> item) {
        return new Session(item.get("sessionId").s(), item.get("userId").s(), item.get("org").s(),
                item.get("amr").l().stream().map(AttributeValue::s).toList(), instant(item, "authTime"),
                instant(item, "createdAt"), instant(item, "lastUsedAt"), instant(item, "idleExpiresAt"),
                instant(item, "absoluteExpiresAt"), Long.parseLong(item.get("generation").n()),
                SessionStatus.valueOf(item.get("status").s()),
                Optional.ofNullable(item.get("revokedAt")).map(v -> Instant.ofEpochMilli(Long.parseLong(v.n()))),
                Optional.ofNullable(item.get("revokeReason")).map(v -> SessionEndReason.ofCode(v.s())));
    }

    private static RefreshTokenRecord toRefresh(String tokenId, Map<String, AttributeValue> item) {
        return new RefreshTokenRecord(tokenId, item.get("sessionId").s(), Long.parseLong(item.get("generation").n()),
                RefreshTokenState.valueOf(item.get("state").s()),
                Optional.ofNullable(item.get("rotatedAt")).map(v -> Instant.ofEpochMilli(Long.parseLong(v.n()))),
                Optional.ofNullable(item.get("successorSealed")).map(AttributeValue::s),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n())));
    }

    /** TTL in whole epoch seconds, rounded up so an item never expires before the time it stands for. */
    private static long ttl(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).equals(at) ? at.getEpochSecond() : at.getEpochSecond() + 1;
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        return Instant.ofEpochMilli(Long.parseLong(item.get(name).n()));
    }

    private static String millis(Instant at) {
        return Long.toString(at.toEpochMilli());
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(LatchkeyTable.PK, s(pk), LatchkeyTable.SK, s(sk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    private static List<String> reasons(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return List.of("Unknown");
        }
        return e.cancellationReasons().stream().map(DynamoDbSessionRepository::reason).toList();
    }

    private static String reason(CancellationReason reason) {
        return reason == null || reason.code() == null ? "None" : reason.code();
    }

    private static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
