package dev.latchkey.infrastructure.ratelimit;

import dev.latchkey.core.ratelimit.FixedWindow;
import dev.latchkey.core.ratelimit.RateLimit;
import dev.latchkey.core.ratelimit.RateLimitDecision;
import dev.latchkey.core.ratelimit.RateLimiter;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Fixed-window counters in the single table: one item per bucket and window
 * ({@code pk = RATE#<bucket>#<window start>}, {@code sk = RATE}), incremented with one atomic
 * {@code UpdateItem ADD} that returns the new count — one write request per counted request, no
 * read, no race. Items carry {@code expiresAt} (window end + a minute) so DynamoDB's TTL removes
 * them; a lagging TTL never matters because the window start is part of the key.
 *
 * <p>Hot buckets: one item takes at most 1,000 writes per second (DynamoDB's per-partition write
 * limit), so a single bucket sustains up to ~1,000 counted requests per second. Beyond that the
 * plan is to shard the counter over N items ({@code #s<n>} suffix, a random shard per request)
 * and to sum them only when a shard passes limit/N — see docs/data-model.md.
 */
public final class DynamoDbRateLimiter implements RateLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbRateLimiter.class);
    private static final long TTL_GRACE_SECONDS = 60;

    private final SingleTable table;
    private final Clock clock;

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     * @param clock the time source (windows and expiry)
     */
    public DynamoDbRateLimiter(DynamoDbClient client, String tableName, Clock clock) {
        this.table = new SingleTable(client, tableName);
        this.clock = clock;
    }

    @Override
    public RateLimitDecision consume(String bucket, RateLimit limit) {
        return consume(bucket, limit, 1);
    }

    /** The same single {@code UpdateItem}, adding {@code cost} (0 adds nothing and returns the current count). */
    @Override
    public RateLimitDecision consume(String bucket, RateLimit limit, int cost) {
        if (cost < 0 || cost > MAX_COST) {
            throw new IllegalArgumentException("bad rate-limit cost");
        }
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bad rate-limit bucket key");
        }
        Instant now = clock.instant();
        long start = FixedWindow.start(now, limit);
        long expiresAt = start + limit.window().getSeconds() + TTL_GRACE_SECONDS;
        long count = Long.parseLong(table.call("rate-limit counter update", () -> table.client().updateItem(b -> b
                .tableName(table.name())
                .key(Keys.rateWindow(bucket, start))
                .updateExpression("ADD #count :one SET #expires = if_not_exists(#expires, :expires)")
                .expressionAttributeNames(Map.of("#count", "count", "#expires", LatchkeyTable.TTL_ATTRIBUTE))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN(Integer.toString(cost)),
                        ":expires", AttributeValue.fromN(Long.toString(expiresAt))))
                .returnValues(ReturnValue.UPDATED_NEW)))
                .attributes().get("count").n());
        return FixedWindow.decide(count, now, limit);
    }
}
