package dev.latchkey.infrastructure.authorize;

import dev.latchkey.core.authorize.AuthorizationCode;
import dev.latchkey.core.authorize.AuthorizationCodes;
import dev.latchkey.core.authorize.Pkce;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Authorization codes in the single table, beside the other single-use challenges: {@code pk = CHALLENGE#<SHA-256 of
 * the code, base64url>}, {@code sk = CHALLENGE}, {@code purpose = authorization_code}, the grant's members, and the
 * TTL attribute {@link #REPLAY_WINDOW} after the code's expiry — the item outlives the code so a late replay still
 * finds what to revoke. The code itself is never stored.
 *
 * <p>{@link #save}: one {@code PutItem} with {@code attribute_not_exists(pk)}. {@link #consume}: one
 * {@code UpdateItem} setting {@code used} with {@code attribute_exists(pk) AND purpose = :purpose} and
 * {@code ReturnValues=ALL_OLD}: the old item without {@code used} means this was the first use, atomically even
 * under parallel requests. {@link #recordIssued}: one {@code UpdateItem}. Every SDK failure becomes
 * {@code StoreUnavailableException}.
 */
public final class DynamoDbAuthorizationCodes implements AuthorizationCodes {

    /** The challenge purpose of a code item. */
    static final String PURPOSE = "authorization_code";

    /** How long after its expiry a code's item stays, to recognise a replay. */
    static final Duration REPLAY_WINDOW = Duration.ofHours(1);

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbAuthorizationCodes(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public void save(AuthorizationCode code) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.challenge(code.codeHash()));
        item.put("purpose", AttributeValue.fromS(PURPOSE));
        item.put("clientId", AttributeValue.fromS(code.clientId()));
        item.put("redirectUri", AttributeValue.fromS(code.redirectUri()));
        item.put("codeChallenge", AttributeValue.fromS(code.pkce().challenge()));
        item.put("userId", AttributeValue.fromS(code.userId()));
        item.put("sessionId", AttributeValue.fromS(code.sessionId()));
        item.put("scope", strings(code.scope()));
        code.nonce().ifPresent(nonce -> item.put("nonce", AttributeValue.fromS(nonce)));
        item.put("authTime", AttributeValue.fromS(code.authTime().toString()));
        item.put("amr", strings(code.amr()));
        item.put("createdAt", AttributeValue.fromS(code.issuedAt().toString()));
        item.put("codeExpiresAt", AttributeValue.fromS(code.expiresAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                code.expiresAt().plus(REPLAY_WINDOW).getEpochSecond())));
        boolean saved = table.conditional("authorization code save", () -> table.client().putItem(b -> b
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        if (!saved) {
            throw new IllegalStateException("authorization code collision");
        }
    }

    @Override
    public Optional<Consumed> consume(String codeHash) {
        return table.conditional("authorization code consume", () -> table.client().updateItem(b -> b
                        .tableName(table.name()).key(Keys.challenge(codeHash))
                        .updateExpression("SET #used = :used")
                        .conditionExpression("attribute_exists(#pk) AND #purpose = :purpose")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#purpose", "purpose",
                                "#used", "used"))
                        .expressionAttributeValues(Map.of(":purpose", AttributeValue.fromS(PURPOSE),
                                ":used", AttributeValue.fromBool(true)))
                        .returnValues(ReturnValue.ALL_OLD)))
                .map(response -> {
                    Map<String, AttributeValue> item = response.attributes();
                    return new Consumed(toCode(codeHash, item), !item.containsKey("used"),
                            Optional.ofNullable(item.get("issuedGrant")).map(AttributeValue::s));
                });
    }

    @Override
    public void recordIssued(String codeHash, String issuedGrant) {
        table.conditional("authorization code issued", () -> table.client().updateItem(b -> b
                .tableName(table.name()).key(Keys.challenge(codeHash))
                .updateExpression("SET #issued = :issued")
                .conditionExpression("attribute_exists(#pk) AND #purpose = :purpose")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#purpose", "purpose",
                        "#issued", "issuedGrant"))
                .expressionAttributeValues(Map.of(":purpose", AttributeValue.fromS(PURPOSE),
                        ":issued", AttributeValue.fromS(issuedGrant)))));
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    private static List<String> strings(AttributeValue value) {
        return value.l().stream().map(AttributeValue::s).toList();
    }

    private static AuthorizationCode toCode(String codeHash, Map<String, AttributeValue> item) {
        return new AuthorizationCode(codeHash, item.get("clientId").s(), item.get("redirectUri").s(),
                new Pkce(item.get("codeChallenge").s()), item.get("userId").s(), item.get("sessionId").s(),
                strings(item.get("scope")), Optional.ofNullable(item.get("nonce")).map(AttributeValue::s),
                Instant.parse(item.get("authTime").s()), strings(item.get("amr")),
                Instant.parse(item.get("createdAt").s()), Instant.parse(item.get("codeExpiresAt").s()));
    }
}
