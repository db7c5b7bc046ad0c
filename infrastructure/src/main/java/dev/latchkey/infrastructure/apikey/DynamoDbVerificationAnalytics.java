package dev.latchkey.infrastructure.apikey;

import dev.latchkey.core.apikey.DailyVerifications;
import dev.latchkey.core.apikey.VerificationAnalytics;
import dev.latchkey.core.apikey.VerificationAnalyticsRepository;
import dev.latchkey.core.apikey.VerificationOutcome;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The daily verification counts in the single table (docs/data-model.md; docs/api-keys.md "Verification analytics").
 *
 * <p><b>Items.</b> A key's day {@code VERIFY_KEY#<keyId>}/{@code DAY#<yyyy-MM-dd>} and its organization's day
 * {@code VERIFY_ORG#<orgId>}/{@code DAY#<yyyy-MM-dd>}: {@code type} ({@code VERIFICATIONS}), {@code organizationId},
 * {@code keyId} (key days), one number per outcome counted so far ({@code valid}, {@code revoked}, {@code expired},
 * {@code ip_not_allowed}, {@code permission_denied}, {@code rate_limited}, {@code usage_exceeded}; absent = 0) and
 * the table's TTL {@code expiresAt}: the end of the day's {@value VerificationAnalytics#RETENTION_DAYS}-day retention.
 *
 * <p><b>Requests.</b> {@link #add}: one {@code UpdateItem} ({@code ADD} of each outcome's count, {@code SET} of the
 * rest; creates the item on the day's first flush), made only by a container's flush, never per verification.
 * {@link #read}: one consistent {@code Query} of the partition, {@code sk BETWEEN DAY#from AND DAY#to} (at most 90
 * small items: one page); items past their {@code expiresAt} that DynamoDB has not deleted yet are left out.
 */
public final class DynamoDbVerificationAnalytics implements VerificationAnalyticsRepository {

    static final String TYPE = "VERIFICATIONS";
    static final String ORGANIZATION_ID = "organizationId";
    static final String KEY_ID = "keyId";

    private final SingleTable table;
    private final Clock clock;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param clock the expiry check on read
     */
    public DynamoDbVerificationAnalytics(DynamoDbClient client, String tableName, Clock clock) {
        this.table = new SingleTable(client, tableName);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The epoch second a day's counts expire: the start of the day after its retention. */
    static long expiresAt(LocalDate day) {
        return day.plusDays(VerificationAnalytics.RETENTION_DAYS).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    @Override
    public void add(String organizationId, String keyId, LocalDate day, Map<VerificationOutcome, Long> counts) {
        Objects.requireNonNull(organizationId, "organizationId");
        Map<String, String> names = new HashMap<>(Map.of("#type", "type", "#org", ORGANIZATION_ID, "#ttl",
                LatchkeyTable.TTL_ATTRIBUTE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":type", AttributeValue.fromS(TYPE), ":org",
                AttributeValue.fromS(organizationId), ":ttl", n(expiresAt(day))));
        StringBuilder set = new StringBuilder("SET #type = :type, #org = :org, #ttl = :ttl");
        if (keyId != null) {
            names.put("#key", KEY_ID);
            values.put(":key", AttributeValue.fromS(keyId));
            set.append(", #key = :key");
        }
        List<String> adds = new ArrayList<>();
        counts.forEach((outcome, count) -> {
            if (count > 0) {
                names.put("#" + outcome.text(), outcome.text());
                values.put(":" + outcome.text(), n(count));
                adds.add("#" + outcome.text() + " :" + outcome.text());
            }
        });
        if (adds.isEmpty()) {
            return;
        }
        String expression = set + " ADD " + String.join(", ", adds);
        table.call("verification analytics add", () -> table.client().updateItem(u -> u
                .tableName(table.name())
                .key(Keys.verifications(organizationId, keyId, day))
                .updateExpression(expression)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)));
    }

    @Override
    public List<DailyVerifications> read(String organizationId, String keyId, LocalDate from, LocalDate to) {
        long now = clock.instant().getEpochSecond();
        List<DailyVerifications> days = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.queryAll("verification analytics read", q -> q
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(Keys.verificationsPk(organizationId,
                        keyId)), ":from", AttributeValue.fromS(Keys.daySk(from)), ":to",
                        AttributeValue.fromS(Keys.daySk(to))))
                .consistentRead(true))) {
            AttributeValue ttl = item.get(LatchkeyTable.TTL_ATTRIBUTE);
            AttributeValue org = item.get(ORGANIZATION_ID);
            if (ttl != null && Long.parseLong(ttl.n()) <= now || org == null || !org.s().equals(organizationId)) {
                continue;
            }
            Map<VerificationOutcome, Long> counts = new EnumMap<>(VerificationOutcome.class);
            for (VerificationOutcome outcome : VerificationOutcome.values()) {
                AttributeValue count = item.get(outcome.text());
                if (count != null) {
                    counts.put(outcome, Long.parseLong(count.n()));
                }
            }
            days.add(new DailyVerifications(LocalDate.parse(item.get(LatchkeyTable.SK).s()
                    .substring(Keys.DAY.length())), counts));
        }
        return days;
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
