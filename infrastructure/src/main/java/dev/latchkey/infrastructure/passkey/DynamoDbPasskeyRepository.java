package dev.latchkey.infrastructure.passkey;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.passkey.Passkey;
import dev.latchkey.core.passkey.PasskeyException;
import dev.latchkey.core.passkey.PasskeyRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Passkeys in the single table, through the low-level client (docs/data-model.md).
 *
 * <p><b>Items.</b> Each passkey is two items holding the same record: the user's item
 * {@code USER#<userId>} / {@code PASSKEY#<passkeyId>} (a user's passkeys are one {@code Query}) and the
 * credential-id lookup {@code CREDENTIAL#<credentialId>} / {@code CREDENTIAL} (a usernameless login knows only the
 * credential id, and finds everything it verifies against in one {@code GetItem}; its
 * {@code attribute_not_exists(pk)} makes a credential id belong to one passkey at most). The user's WebAuthn user
 * handle is its own item {@code USER#<userId>} / {@code WEBAUTHN}. Attributes: {@code type}, {@code passkeyId,
 * userId, credentialId, userHandle, publicKey} (base64url; the COSE key), {@code algorithm, signCount} (N),
 * {@code uvInitialized, backupEligible, backedUp} (BOOL), {@code transports} (L of S), {@code aaguid, nickname,
 * createdAt}, {@code lastUsedAt} (ISO-8601) once used.
 *
 * <p>The user's item is keyed by the passkey id rather than the credential id (ARCHITECTURE.md §3 suggests
 * {@code PASSKEY#<credentialId>}): a credential id may be 1,023 bytes (WebAuthn L3 §5.8.3), 1,364 base64url
 * characters, over DynamoDB's 1,024-byte sort-key limit, while the partition key of the lookup holds it (2,048
 * bytes); and the management routes name the passkey id.
 *
 * <p><b>Writes.</b> {@link #add}, {@link #rename}, {@link #delete}: one {@code TransactWriteItems} of both items
 * and the audit event ({@link DynamoDbAuditLog#transactWriteItem}); {@link #recordUse}: one
 * {@code TransactWriteItems} of both items, the lookup conditioned on the counter read. A cancellation by
 * {@code TransactionConflict} alone is retried (at most {@value Transactions#MAX_ATTEMPTS} attempts). Every other
 * SDK failure becomes {@link StoreUnavailableException}; logs name the exception class only.
 */
public final class DynamoDbPasskeyRepository implements PasskeyRepository {

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbPasskeyRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** The user's item of a passkey. */
    static Map<String, AttributeValue> passkeyKey(String userId, String passkeyId) {
        return Keys.passkey(userId, passkeyId);
    }

    /** The credential-id lookup item's key. */
    static Map<String, AttributeValue> lookupKey(String credentialId) {
        return Keys.credential(credentialId);
    }

    /** The user-handle item's key. */
    static Map<String, AttributeValue> handleKey(String userId) {
        return Keys.webAuthnUser(userId);
    }

    /**
     * A consistent {@code GetItem}; when absent, a {@code PutItem} with {@code attribute_not_exists(pk)} and, when
     * a parallel registration won, one more {@code GetItem}.
     */
    @Override
    public String userHandle(String userId, String candidate) {
        Optional<String> stored = get(handleKey(userId)).map(item -> item.get("userHandle").s());
        if (stored.isPresent()) {
            return stored.get();
        }
        Map<String, AttributeValue> item = new HashMap<>(handleKey(userId));
        item.put("type", s("WEBAUTHN_USER"));
        item.put("userId", s(userId));
        item.put("userHandle", s(candidate));
        boolean written = table.conditional("user handle write", () -> table.client().putItem(p -> p
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        if (written) {
            return candidate;
        }
        return get(handleKey(userId)).map(winner -> winner.get("userHandle").s())
                .orElseThrow(() -> new StoreUnavailableException(new IllegalStateException("handle vanished")));
    }

    /** {@code Query} {@code pk = USER#<userId>}, {@code begins_with(sk, PASSKEY#)}, consistent, paginated. */
    @Override
    public List<Passkey> findByUser(String userId) {
        List<Passkey> passkeys = new ArrayList<>(table.queryAll("passkey query", q -> q.consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", s(Keys.userPk(userId)), ":prefix", s(Keys.PASSKEY))))
                .stream().map(DynamoDbPasskeyRepository::toPasskey).toList());
        passkeys.sort(Comparator.comparing(Passkey::createdAt).thenComparing(Passkey::id));
        return List.copyOf(passkeys);
    }

    /** One consistent {@code GetItem} of the lookup item. */
    @Override
    public Optional<Passkey> findByCredentialId(String credentialId) {
        return get(lookupKey(credentialId)).map(DynamoDbPasskeyRepository::toPasskey);
    }

    /** Both items with {@code attribute_not_exists(pk)}, and the event, in one transaction. */
    @Override
    public void add(Passkey passkey, AuditEvent event) {
        List<String> reasons = table.transactWrite("passkey add", List.of(
                table.putNew(item(passkeyKey(passkey.userId(), passkey.id()), passkey)),
                table.putNew(item(lookupKey(passkey.credentialId()), passkey)),
                auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw PasskeyException.alreadyRegistered();
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw new IllegalStateException("a fresh passkey id already exists");
        }
        throw Transactions.cancelled("passkey add", reasons, 2);
    }

    /**
     * Both items updated in one transaction: the lookup only if it still belongs to the user and its counter is
     * the one read ({@code signCount = :expected}), the user's item only if it exists.
     */
    @Override
    public boolean recordUse(Passkey used, long expectedSignCount) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#count", "signCount",
                "#backedUp", "backedUp", "#uv", "uvInitialized", "#lastUsedAt", "lastUsedAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":count", n(used.signCount()),
                ":backedUp", AttributeValue.fromBool(used.backedUp()),
                ":uv", AttributeValue.fromBool(used.uvInitialized()),
                ":lastUsedAt", s(used.lastUsedAt().orElseThrow().toString())));
        String update = "SET #count = :count, #backedUp = :backedUp, #uv = :uv, #lastUsedAt = :lastUsedAt";
        Map<String, String> lookupNames = new HashMap<>(names);
        lookupNames.put("#user", "userId");
        Map<String, AttributeValue> lookupValues = new HashMap<>(values);
        lookupValues.put(":expected", n(expectedSignCount));
        lookupValues.put(":user", s(used.userId()));
        TransactWriteItem lookup = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(lookupKey(used.credentialId())).updateExpression(update)
                .conditionExpression("attribute_exists(#pk) AND #count = :expected AND #user = :user")
                .expressionAttributeNames(lookupNames).expressionAttributeValues(lookupValues)).build();
        TransactWriteItem own = TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(passkeyKey(used.userId(), used.id())).updateExpression(update)
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
        List<String> reasons = table.transactWrite("passkey use", List.of(lookup, own));
        if (reasons.isEmpty()) {
            return true;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            return false;
        }
        throw Transactions.cancelled("passkey use", reasons, -1);
    }

    /** Both items' nickname and the event, in one transaction; the lookup only if it still is the user's. */
    @Override
    public Passkey updateCloneState(Passkey updated, AuditEvent event) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#count", "signCount",
                "#suspected", "suspectedCloneAt", "#user", "userId"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":count", n(updated.signCount()),
                ":user", s(updated.userId())));
        String update;
        if (updated.suspectedCloneAt().isPresent()) {
            values.put(":suspected", s(updated.suspectedCloneAt().get().toString()));
            update = "SET #count = :count, #suspected = :suspected";
        } else {
            update = "SET #count = :count REMOVE #suspected";
        }
        String condition = "attribute_exists(#pk) AND #user = :user";
        List<String> reasons = table.transactWrite("passkey clone state", List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(passkeyKey(updated.userId(), updated.id())).updateExpression(update)
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(lookupKey(updated.credentialId())).updateExpression(update)
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build(),
                auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return updated;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            throw PasskeyException.notFound();
        }
        throw Transactions.cancelled("passkey clone state", reasons, 2);
    }

    @Override
    public Passkey rename(Passkey passkey, String nickname, AuditEvent event) {
        Map<String, String> names = Map.of("#pk", LatchkeyTable.PK, "#nickname", "nickname", "#user", "userId");
        Map<String, AttributeValue> values = Map.of(":nickname", s(nickname), ":user", s(passkey.userId()));
        String condition = "attribute_exists(#pk) AND #user = :user";
        List<String> reasons = table.transactWrite("passkey rename", List.of(
                TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(passkeyKey(passkey.userId(), passkey.id())).updateExpression("SET #nickname = :nickname")
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table.name())
                        .key(lookupKey(passkey.credentialId())).updateExpression("SET #nickname = :nickname")
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values)).build(),
                auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return passkey.renamed(nickname);
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            throw PasskeyException.notFound();
        }
        throw Transactions.cancelled("passkey rename", reasons, 2);
    }

    /**
     * Both items and the event, in one transaction; each delete only if the item is there and the user's; with
     * {@code mustRemain}, also a {@code ConditionCheck} that that passkey's item still exists.
     */
    @Override
    public void delete(Passkey passkey, Optional<Passkey> mustRemain, AuditEvent event) {
        Map<String, String> names = Map.of("#pk", LatchkeyTable.PK, "#user", "userId");
        Map<String, AttributeValue> values = Map.of(":user", s(passkey.userId()));
        String condition = "attribute_exists(#pk) AND #user = :user";
        List<TransactWriteItem> items = new ArrayList<>(List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(passkeyKey(passkey.userId(), passkey.id())).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(values)).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(lookupKey(passkey.credentialId())).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(values)).build()));
        mustRemain.ifPresent(other -> items.add(TransactWriteItem.builder().conditionCheck(c -> c
                .tableName(table.name()).key(passkeyKey(passkey.userId(), other.id())).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values)).build()));
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("passkey delete", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            throw PasskeyException.notFound();
        }
        if (mustRemain.isPresent() && Transactions.failedCondition(reasons, 2)) {
            throw PasskeyException.lastSignInMethod();
        }
        throw Transactions.cancelled("passkey delete", reasons, items.size() - 1);
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return table.get("passkey read", key);
    }

    private static Map<String, AttributeValue> item(Map<String, AttributeValue> key, Passkey passkey) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("type", s(key.get(LatchkeyTable.SK).s().equals(Keys.CREDENTIAL_SK) ? "CREDENTIAL" : "PASSKEY"));
        item.put("passkeyId", s(passkey.id()));
        item.put("userId", s(passkey.userId()));
        item.put("credentialId", s(passkey.credentialId()));
        item.put("userHandle", s(passkey.userHandle()));
        item.put("publicKey", s(passkey.publicKey()));
        item.put("algorithm", n(passkey.algorithm()));
        item.put("signCount", n(passkey.signCount()));
        item.put("uvInitialized", AttributeValue.fromBool(passkey.uvInitialized()));
        item.put("backupEligible", AttributeValue.fromBool(passkey.backupEligible()));
        item.put("backedUp", AttributeValue.fromBool(passkey.backedUp()));
        item.put("transports", AttributeValue.fromL(passkey.transports().stream().map(DynamoDbPasskeyRepository::s)
                .toList()));
        item.put("aaguid", s(passkey.aaguid()));
        item.put("nickname", s(passkey.nickname()));
        item.put("createdAt", s(passkey.createdAt().toString()));
        passkey.lastUsedAt().ifPresent(at -> item.put("lastUsedAt", s(at.toString())));
        passkey.suspectedCloneAt().ifPresent(at -> item.put("suspectedCloneAt", s(at.toString())));
        return item;
    }

    private static Passkey toPasskey(Map<String, AttributeValue> item) {
        return new Passkey(item.get("passkeyId").s(), item.get("userId").s(), item.get("credentialId").s(),
                item.get("userHandle").s(), item.get("publicKey").s(), Integer.parseInt(item.get("algorithm").n()),
                Long.parseLong(item.get("signCount").n()), Boolean.TRUE.equals(item.get("uvInitialized").bool()),
                Boolean.TRUE.equals(item.get("backupEligible").bool()),
                Boolean.TRUE.equals(item.get("backedUp").bool()),
                item.get("transports").l().stream().map(AttributeValue::s).toList(), item.get("aaguid").s(),
                item.get("nickname").s(), Instant.parse(item.get("createdAt").s()),
                Optional.ofNullable(item.get("lastUsedAt")).map(value -> Instant.parse(value.s())),
                Optional.ofNullable(item.get("suspectedCloneAt")).map(value -> Instant.parse(value.s())));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
