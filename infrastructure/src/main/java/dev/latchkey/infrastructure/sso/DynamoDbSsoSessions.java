package dev.latchkey.infrastructure.sso;

import dev.latchkey.core.sso.SsoSession;
import dev.latchkey.core.sso.SsoSessions;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Single sign-on browser sessions, one item each: {@code pk = SSO#<SHA-256 of the cookie value, base64url>},
 * {@code sk = SSO}, with {@code userId}, {@code sessionId}, {@code createdAt} (ISO-8601) and {@code expiresAt}
 * (epoch seconds, the TTL attribute). The cookie value is never stored. {@link #save}: one {@code PutItem} with
 * {@code attribute_not_exists(pk)}; {@link #find}: one consistent {@code GetItem}; {@link #delete}: one
 * {@code DeleteItem}. Every SDK failure becomes {@link dev.latchkey.core.store.StoreUnavailableException}.
 */
public final class DynamoDbSsoSessions implements SsoSessions {

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbSsoSessions(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public void save(SsoSession session) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.ssoSession(session.cookieHash()));
        item.put("userId", AttributeValue.fromS(session.userId()));
        item.put("sessionId", AttributeValue.fromS(session.sessionId()));
        item.put("createdAt", AttributeValue.fromS(session.createdAt().toString()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(
                session.expiresAt().getEpochSecond())));
        boolean saved = table.conditional("browser session save", () -> table.client().putItem(b -> b
                .tableName(table.name()).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        if (!saved) {
            throw new IllegalStateException("browser session collision");
        }
    }

    @Override
    public Optional<SsoSession> find(String cookieHash) {
        return table.get("browser session read", Keys.ssoSession(cookieHash)).map(item -> new SsoSession(cookieHash,
                item.get("userId").s(), item.get("sessionId").s(), Instant.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(LatchkeyTable.TTL_ATTRIBUTE).n()))));
    }

    @Override
    public void delete(String cookieHash) {
        table.call("browser session delete", () -> table.client().deleteItem(b -> b.tableName(table.name())
                .key(Keys.ssoSession(cookieHash))));
    }
}
