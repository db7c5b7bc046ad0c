package dev.latchkey.infrastructure.session;

import dev.latchkey.core.session.AccessTokenRecords;
import dev.latchkey.core.session.RefreshTokenRecord;
import dev.latchkey.core.session.RefreshTokenState;
import dev.latchkey.core.session.Rotation;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionApplication;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionRepository;
import dev.latchkey.core.session.SessionStatus;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Sessions and refresh tokens in the single table (docs/data-model.md):
 * <ul>
 *   <li>{@code SESSION#<sessionId>} / {@code SESSION}: {@code sessionId, userId, org, amr, authTime,
 *       createdAt, lastUsedAt, idleExpiresAt, absoluteExpiresAt} (epoch milliseconds, numbers, so
 *       conditions compare them), {@code generation, status, revokedAt?, revokeReason?},
 *       for an application's refresh family ({@code offline_access}) {@code appClientId, appSignInSid, appScope},
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
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Set<String> LOST_RACE = Set.of("ConditionalCheckFailed", "TransactionConflict", "None");

    private final SingleTable table;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     */
    public DynamoDbSessionRepository(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public void create(Session session, RefreshTokenRecord firstToken) {
        List<String> reasons = table.transactWriteOnce("session create",
                List.of(table.putNew(sessionItem(session)), table.putNew(refreshItem(firstToken))));
        if (reasons.contains("ConditionalCheckFailed")) {
            throw new IllegalStateException("session or refresh token id already exists");
        }
        if (!reasons.isEmpty()) {
            throw cancelled("session create", reasons);
        }
    }

    @Override
    public Optional<RefreshTokenRecord> findRefreshToken(String tokenId) {
        return get(Keys.refreshToken(tokenId)).map(item -> toRefresh(tokenId, item));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return get(Keys.session(sessionId)).map(DynamoDbSessionRepository::toSession);
    }

    @Override
    public boolean rotate(Rotation rotation) {
        String generation = Long.toString(rotation.expectedGeneration());
        String next = Long.toString(rotation.expectedGeneration() + 1);
        String now = millis(rotation.now());
        TransactWriteItem rotateOld = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(Keys.refreshToken(rotation.currentTokenId()))
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
        TransactWriteItem putNew = table.putNew(refreshItem(successor));
        TransactWriteItem advanceSession = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(Keys.session(rotation.sessionId()))
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
        List<String> reasons = table.transactWriteOnce("refresh rotation", List.of(rotateOld, putNew, advanceSession));
        if (reasons.isEmpty()) {
            return true;
        }
        if (LOST_RACE.containsAll(reasons)) {
            return false;
        }
        throw cancelled("refresh rotation", reasons);
    }

    @Override
    public boolean revoke(String sessionId, Instant at, SessionEndReason reason) {
        return table.conditional("session revoke", () -> table.client().updateItem(u -> u.tableName(table.name())
                .key(Keys.session(sessionId))
                .updateExpression("SET #status = :revoked, revokedAt = :at, revokeReason = :reason")
                .conditionExpression("#status = :active")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(
                        ":revoked", s(SessionStatus.REVOKED.name()),
                        ":active", s(SessionStatus.ACTIVE.name()),
                        ":at", n(millis(at)),
                        ":reason", s(reason.code()))))).isPresent();
    }

    @Override
    public AccessTokenRecords findAccessTokenRecords(String jwtId, Optional<String> sessionId) {
        if (sessionId.isEmpty()) {
            boolean revoked = get(Keys.revokedJti(jwtId)).isPresent();
            return new AccessTokenRecords(Optional.empty(), revoked);
        }
        List<Map<String, AttributeValue>> items = table.batchGet("access-token check",
                List.of(Keys.session(sessionId.get()), Keys.revokedJti(jwtId)), b -> { });
        Optional<Session> found = items.stream()
                .filter(item -> Keys.SESSION_SK.equals(item.get(LatchkeyTable.SK).s()))
                .findFirst().map(DynamoDbSessionRepository::toSession);
        boolean revoked = items.stream()
                .anyMatch(item -> Keys.REVOKED_JTI_SK.equals(item.get(LatchkeyTable.SK).s()));
        return new AccessTokenRecords(found, revoked);
    }

    @Override
    public boolean denyAccessToken(String jwtId, Instant revokedAt, Instant until) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.revokedJti(jwtId));
        item.put("revokedAt", n(millis(revokedAt)));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, n(Long.toString(ttl(until))));
        return table.conditional("access-token revoke", () -> table.client().putItem(p -> p.tableName(table.name())
                .item(item).conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
    }

    @Override
    public List<Session> findByUser(String userId) {
        return table.queryAll("session query", q -> q.indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :gpk AND begins_with(#gsk, :prefix)")
                .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                .expressionAttributeValues(Map.of(":gpk", s(Keys.userPk(userId)), ":prefix", s(Keys.SESSION)))
                .scanIndexForward(false)).stream().map(DynamoDbSessionRepository::toSession).toList();
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return table.get("session read", key);
    }

    private static Map<String, AttributeValue> sessionItem(Session session) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.session(session.sessionId()));
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
        session.application().ifPresent(app -> {
            item.put("appClientId", s(app.clientId()));
            item.put("appSignInSid", s(app.signInSessionId()));
            item.put("appScope", AttributeValue.fromL(app.scope().stream().map(DynamoDbSessionRepository::s)
                    .toList()));
        });
        item.put(LatchkeyTable.GSI1_PK, s(Keys.userPk(session.userId())));
        item.put(LatchkeyTable.GSI1_SK, s(Keys.sessionGsi1Sk(TIME.format(session.createdAt()))));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, n(Long.toString(ttl(session.refreshTokenExpiry()))));
        return item;
    }

    private static Map<String, AttributeValue> refreshItem(RefreshTokenRecord token) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.refreshToken(token.tokenId()));
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
                Optional.ofNullable(item.get("revokeReason")).map(v -> SessionEndReason.ofCode(v.s())),
                Optional.ofNullable(item.get("appClientId")).map(v -> new SessionApplication(v.s(),
                        item.get("appSignInSid").s(), item.get("appScope").l().stream().map(AttributeValue::s)
                                .toList())));
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

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    /** A cancellation not lost to a concurrent writer: 503, logged with the reason codes only. */
    private static StoreUnavailableException cancelled(String what, List<String> reasons) {
        LOG.warn("{} transaction cancelled: {}", what, reasons);
        return new StoreUnavailableException(new IllegalStateException(what + " cancelled: " + reasons));
    }
}
