package dev.latchkey.infrastructure.mfa;

import dev.latchkey.core.mfa.MfaRepository;
import dev.latchkey.core.mfa.PendingTotp;
import dev.latchkey.core.mfa.TotpFactor;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A user's second factors in the single table, under the user's partition (docs/data-model.md):
 * <ul>
 *   <li>{@code USER#<userId>}/{@code MFA_TOTP}: {@code secret} (the sealed secret, base64url — never the secret),
 *       {@code createdAt}, {@code lastUsedAt}, {@code lastStep} (number);</li>
 *   <li>{@code USER#<userId>}/{@code MFA_PENDING}: {@code secret}, {@code createdAt}, {@code expiresAt} (TTL);</li>
 *   <li>{@code USER#<userId>}/{@code MFA_RECOVERY#<keyed hash>}: {@code createdAt}, one item per unspent code.</li>
 * </ul>
 * {@link #acceptStep}: one {@code UpdateItem} with {@code attribute_exists(pk) AND lastStep < :step} — the replay
 * guard. {@link #consumeRecoveryCode}: one {@code DeleteItem} with {@code attribute_exists(pk)}. {@link #activate}:
 * one transaction (pending deleted only if it holds the same sealed secret, factor put, old codes deleted, new codes
 * put new). Every SDK failure becomes {@code StoreUnavailableException}.
 */
public final class DynamoDbMfaRepository implements MfaRepository {

    private static final String SECRET = "secret";
    private static final String CREATED_AT = "createdAt";
    private static final String LAST_USED_AT = "lastUsedAt";
    private static final String LAST_STEP = "lastStep";

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbMfaRepository(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public Optional<TotpFactor> findTotp(String userId) {
        return table.get("totp factor read", Keys.totpFactor(userId)).map(item -> new TotpFactor(userId,
                SealedSecret.decode(item.get(SECRET).s()), Instant.parse(item.get(CREATED_AT).s()),
                Optional.ofNullable(item.get(LAST_USED_AT)).map(v -> Instant.parse(v.s())),
                Long.parseLong(item.get(LAST_STEP).n())));
    }

    @Override
    public void savePending(PendingTotp pending) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.pendingTotp(pending.userId()));
        item.put(SECRET, AttributeValue.fromS(pending.secret().encoded()));
        item.put(CREATED_AT, AttributeValue.fromS(pending.createdAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                pending.expiresAt().getEpochSecond())));
        table.call("pending totp save", () -> table.client().putItem(b -> b.tableName(table.name()).item(item)));
    }

    @Override
    public Optional<PendingTotp> findPending(String userId) {
        return table.get("pending totp read", Keys.pendingTotp(userId)).map(item -> new PendingTotp(userId,
                SealedSecret.decode(item.get(SECRET).s()), Instant.parse(item.get(CREATED_AT).s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n()))));
    }

    @Override
    public boolean activate(TotpFactor factor, List<String> recoveryCodeHashes) {
        String userId = factor.userId();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(Keys.pendingTotp(userId))
                .conditionExpression("#secret = :secret")
                .expressionAttributeNames(Map.of("#secret", SECRET))
                .expressionAttributeValues(Map.of(":secret", AttributeValue.fromS(factor.secret().encoded()))))
                .build());
        Map<String, AttributeValue> item = new HashMap<>(Keys.totpFactor(userId));
        item.put(SECRET, AttributeValue.fromS(factor.secret().encoded()));
        item.put(CREATED_AT, AttributeValue.fromS(factor.createdAt().toString()));
        factor.lastUsedAt().ifPresent(at -> item.put(LAST_USED_AT, AttributeValue.fromS(at.toString())));
        item.put(LAST_STEP, AttributeValue.fromN(Long.toString(factor.lastStep())));
        items.add(TransactWriteItem.builder().put(p -> p.tableName(table.name()).item(item)).build());
        recoveryCodeKeys(userId).forEach(key -> items.add(table.delete(key)));
        recoveryCodeHashes.forEach(hash -> items.add(table.putNew(recoveryCodeItem(userId, hash,
                factor.createdAt()))));
        return table.transactWriteOnce("totp activation", items).isEmpty();
    }

    @Override
    public boolean acceptStep(String userId, long step, Instant usedAt) {
        return table.conditional("totp step accept", () -> table.client().updateItem(b -> b
                .tableName(table.name()).key(Keys.totpFactor(userId))
                .updateExpression("SET #step = :step, #used = :used")
                .conditionExpression("attribute_exists(#pk) AND #step < :step")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#step", LAST_STEP, "#used", LAST_USED_AT))
                .expressionAttributeValues(Map.of(":step", AttributeValue.fromN(Long.toString(step)),
                        ":used", AttributeValue.fromS(usedAt.toString()))))).isPresent();
    }

    @Override
    public boolean consumeRecoveryCode(String userId, String codeHash, Instant usedAt) {
        boolean spent = table.conditional("recovery code consume", () -> table.client().deleteItem(b -> b
                .tableName(table.name()).key(Keys.recoveryCode(userId, codeHash))
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        if (spent) {
            table.conditional("totp last use", () -> table.client().updateItem(b -> b
                    .tableName(table.name()).key(Keys.totpFactor(userId))
                    .updateExpression("SET #used = :used")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#used", LAST_USED_AT))
                    .expressionAttributeValues(Map.of(":used", AttributeValue.fromS(usedAt.toString())))));
        }
        return spent;
    }

    @Override
    public int recoveryCodesLeft(String userId) {
        return table.query("recovery code count", b -> b.consistentRead(true).select(Select.COUNT)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.userPk(userId)),
                        ":prefix", AttributeValue.fromS(Keys.MFA_RECOVERY)))).count();
    }

    @Override
    public void replaceRecoveryCodes(String userId, List<String> codeHashes, Instant createdAt) {
        List<TransactWriteItem> items = new ArrayList<>();
        recoveryCodeKeys(userId).forEach(key -> items.add(table.delete(key)));
        codeHashes.forEach(hash -> items.add(table.putNew(recoveryCodeItem(userId, hash, createdAt))));
        List<String> reasons = table.transactWrite("recovery codes replace", items);
        if (!reasons.isEmpty()) {
            throw new IllegalStateException("recovery codes not replaced: " + reasons);
        }
    }

    @Override
    public boolean remove(String userId) {
        boolean had = findTotp(userId).isPresent();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(table.delete(Keys.totpFactor(userId)));
        items.add(table.delete(Keys.pendingTotp(userId)));
        recoveryCodeKeys(userId).forEach(key -> items.add(table.delete(key)));
        List<String> reasons = table.transactWrite("mfa remove", items);
        if (!reasons.isEmpty()) {
            throw new IllegalStateException("mfa not removed: " + reasons);
        }
        return had;
    }

    private List<Map<String, AttributeValue>> recoveryCodeKeys(String userId) {
        return table.queryAll("recovery code keys", b -> b.consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .projectionExpression("#pk, #sk")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.userPk(userId)),
                        ":prefix", AttributeValue.fromS(Keys.MFA_RECOVERY))))
                .stream().map(Keys::keyOf).toList();
    }

    private static Map<String, AttributeValue> recoveryCodeItem(String userId, String hash, Instant createdAt) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.recoveryCode(userId, hash));
        item.put(CREATED_AT, AttributeValue.fromS(createdAt.toString()));
        return item;
    }
}
