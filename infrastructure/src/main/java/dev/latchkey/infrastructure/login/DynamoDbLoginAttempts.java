package dev.latchkey.infrastructure.login;

import dev.latchkey.core.login.LoginAttempts;
import dev.latchkey.core.login.ThrottlePolicy;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Failure streaks in the single table: {@code pk = THROTTLE#<account key>}, {@code sk = THROTTLE},
 * with {@code failures}, {@code lockedUntil} (epoch ms), {@code lastFailureAt} (epoch ms) and the
 * TTL attribute (last failure + the policy's memory). A failure is one conditional
 * {@code UpdateItem ADD} — refused while locked, so locked attempts neither count nor extend the
 * lock — plus, when the count calls for a lock, one conditional {@code UpdateItem} that sets it
 * only if no other failure moved the count meanwhile.
 */
public final class DynamoDbLoginAttempts implements LoginAttempts {

    private static final String WHAT = "login throttle store";
    private static final Pattern ACCOUNT_KEY = Pattern.compile("[0-9a-f]{16,64}");

    private final SingleTable table;
    private final Duration memory;
    private final Clock clock;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     * @param memory how long a streak is remembered after its last failure (the policy's)
     * @param clock the time source for reads
     */
    public DynamoDbLoginAttempts(DynamoDbClient client, String tableName, Duration memory, Clock clock) {
        this.table = new SingleTable(client, tableName);
        this.memory = memory;
        this.clock = clock;
    }

    @Override
    public Optional<Streak> current(String accountKey) {
        Optional<Map<String, AttributeValue>> item = table.get(WHAT, key(accountKey));
        if (item.isEmpty()) {
            return Optional.empty();
        }
        Instant lastFailure = Instant.ofEpochMilli(Long.parseLong(item.get().get("lastFailureAt").n()));
        if (!clock.instant().isBefore(lastFailure.plus(memory))) {
            return Optional.empty();
        }
        return Optional.of(streak(item.get()));
    }

    @Override
    public Streak recordFailure(String accountKey, Instant now, ThrottlePolicy policy) {
        String nowMillis = Long.toString(now.toEpochMilli());
        forgetIfStale(accountKey, now);
        Optional<Map<String, AttributeValue>> after = table.conditional(WHAT, () -> table.client().updateItem(b -> b
                .tableName(table.name()).key(key(accountKey))
                .updateExpression("ADD failures :one SET lastFailureAt = :now, #ttl = :ttl")
                .conditionExpression("attribute_not_exists(lockedUntil) OR lockedUntil <= :now")
                .expressionAttributeNames(Map.of("#ttl", LatchkeyTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":now", AttributeValue.fromN(nowMillis),
                        ":ttl", AttributeValue.fromN(Long.toString(now.plus(memory).getEpochSecond()))))
                .returnValues(ReturnValue.ALL_NEW)).attributes());
        if (after.isEmpty()) {
            // Locked: the failure is not counted.
            return current(accountKey).orElse(new Streak(0, now));
        }
        long failures = Long.parseLong(after.get().get("failures").n());
        Duration lock = policy.lockAfter(failures);
        if (lock.isZero()) {
            return new Streak(failures, now);
        }
        Instant until = now.plus(lock);
        boolean locked = table.conditional(WHAT, () -> table.client().updateItem(b -> b
                .tableName(table.name()).key(key(accountKey))
                .updateExpression("SET lockedUntil = :until")
                .conditionExpression("failures = :failures")
                .expressionAttributeValues(Map.of(
                        ":until", AttributeValue.fromN(Long.toString(until.toEpochMilli())),
                        ":failures", AttributeValue.fromN(Long.toString(failures)))))).isPresent();
        if (!locked) {
            // A concurrent failure counted after this one and set its own (longer) lock.
            return current(accountKey).orElse(new Streak(failures, until));
        }
        return new Streak(failures, until);
    }

    @Override
    public void reset(String accountKey) {
        table.call(WHAT, () -> table.client().deleteItem(b -> b.tableName(table.name()).key(key(accountKey))));
    }

    /** DynamoDB's TTL deletes lazily: a streak older than the memory restarts from zero. */
    private void forgetIfStale(String accountKey, Instant now) {
        String threshold = Long.toString(now.minus(memory).toEpochMilli());
        // Empty when there is nothing stale to forget (fresh or absent).
        table.conditional(WHAT, () -> table.client().deleteItem(b -> b.tableName(table.name()).key(key(accountKey))
                .conditionExpression("lastFailureAt <= :threshold")
                .expressionAttributeValues(Map.of(":threshold", AttributeValue.fromN(threshold)))));
    }

    private static Streak streak(Map<String, AttributeValue> item) {
        long failures = item.containsKey("failures") ? Long.parseLong(item.get("failures").n()) : 0;
        Instant lockedUntil = item.containsKey("lockedUntil")
                ? Instant.ofEpochMilli(Long.parseLong(item.get("lockedUntil").n())) : Instant.EPOCH;
        return new Streak(failures, lockedUntil);
    }

    private static Map<String, AttributeValue> key(String accountKey) {
        if (!ACCOUNT_KEY.matcher(accountKey).matches()) {
            throw new IllegalArgumentException("account key must be a hex digest");
        }
        return Keys.loginThrottle(accountKey);
    }
}
