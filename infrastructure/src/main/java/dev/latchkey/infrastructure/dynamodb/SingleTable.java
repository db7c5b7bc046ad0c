package dev.latchkey.infrastructure.dynamodb;

import dev.latchkey.core.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The single table as every adapter uses it: the low-level client and the table name, the consistent reads and the
 * transactional write in the one way the adapters make them, and the one translation of SDK failures into core's
 * {@link StoreUnavailableException} (a log line naming the operation and the exception class only, never an item,
 * key or message). Keys come from {@link Keys}; a transaction's cancellation reasons are read with
 * {@link Transactions}.
 *
 * <p>Every method makes exactly the requests its Javadoc names (the {@code *RequestCountTest}s pin them). A
 * {@code what} argument names the operation in a log line and carries no id.
 */
public final class SingleTable {

    /** Keys per {@code BatchGetItem}: DynamoDB's limit. */
    public static final int BATCH_GET_LIMIT = 100;
    /** Requests per batch of {@link #batchGet} while keys come back unprocessed. */
    public static final int BATCH_GET_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(SingleTable.class);

    private final DynamoDbClient client;
    private final String name;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param name the table's name
     */
    public SingleTable(DynamoDbClient client, String name) {
        this.client = Objects.requireNonNull(client, "client");
        this.name = Objects.requireNonNull(name, "tableName");
    }

    /** The low-level client, for a request none of the methods here makes (always inside {@link #call}). */
    public DynamoDbClient client() {
        return client;
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /**
     * The one translation of an SDK failure: a warning naming {@code what} and the exception class, and core's
     * {@link StoreUnavailableException} (503) around it.
     */
    public static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }

    /**
     * Runs any SDK call on the table.
     *
     * @throws StoreUnavailableException when it fails
     */
    public <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw unavailable(what, e);
        }
    }

    /**
     * Runs a conditional write.
     *
     * @return the call's result, empty when the condition failed ({@code ConditionalCheckFailedException})
     * @throws StoreUnavailableException for any other failure
     */
    public <T> Optional<T> conditional(String what, Supplier<T> write) {
        try {
            return Optional.of(write.get());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable(what, e);
        }
    }

    /** One strongly consistent {@code GetItem}; empty when there is no item. */
    public Optional<Map<String, AttributeValue>> get(String what, Map<String, AttributeValue> key) {
        return get(what, key, request -> { });
    }

    /**
     * One strongly consistent {@code GetItem} with more options (a projection).
     *
     * @return the item, empty when there is none
     */
    public Optional<Map<String, AttributeValue>> get(String what, Map<String, AttributeValue> key,
            Consumer<GetItemRequest.Builder> options) {
        GetItemResponse response = call(what, () -> client.getItem(b -> {
            options.accept(b);
            b.tableName(name).key(key).consistentRead(true);
        }));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    /** One {@code Query} request (one page) on the table, with the table name set. */
    public QueryResponse query(String what, Consumer<QueryRequest.Builder> request) {
        return call(what, () -> client.query(b -> {
            request.accept(b);
            b.tableName(name);
        }));
    }

    /** Every item a {@code Query} matches, following {@code LastEvaluatedKey} (one request per 1 MB page). */
    public List<Map<String, AttributeValue>> queryAll(String what, Consumer<QueryRequest.Builder> request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse response = query(what, b -> {
                request.accept(b);
                b.exclusiveStartKey(from);
            });
            items.addAll(response.items());
            start = hasMore(response) ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** Whether a query page has a {@code LastEvaluatedKey} to continue from. */
    public static boolean hasMore(QueryResponse response) {
        return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
    }

    /**
     * Strongly consistent {@code BatchGetItem}s of the keys, {@value #BATCH_GET_LIMIT} per request; unprocessed keys
     * are asked again (with {@link Transactions#backOff}), at most {@value #BATCH_GET_ATTEMPTS} requests per
     * batch.
     *
     * @param options more per-batch options (a projection), applied before the keys and consistency
     * @return the items found, in no particular order
     * @throws StoreUnavailableException when the SDK fails or keys stay unprocessed
     */
    public List<Map<String, AttributeValue>> batchGet(String what, List<Map<String, AttributeValue>> keys,
            Consumer<KeysAndAttributes.Builder> options) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET_LIMIT) {
            KeysAndAttributes.Builder batch = KeysAndAttributes.builder();
            options.accept(batch);
            Map<String, KeysAndAttributes> request = Map.of(name, batch
                    .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET_LIMIT)))
                    .consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> current = request;
                BatchGetItemResponse response = call(what, () -> client.batchGetItem(b -> b.requestItems(current)));
                found.addAll(response.responses().getOrDefault(name, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    if (attempt == BATCH_GET_ATTEMPTS) {
                        LOG.warn("{} failed: unprocessed keys remain", what);
                        throw new StoreUnavailableException(new IllegalStateException("unprocessed keys remain"));
                    }
                    Transactions.backOff(attempt);
                }
            }
        }
        return found;
    }

    /**
     * One {@code TransactWriteItems}, retried while {@code TransactionConflict} alone cancels it
     * ({@link Transactions#write}).
     *
     * @return empty when it committed, else the cancellation reasons, one per item in order
     * @throws StoreUnavailableException for any other SDK failure
     */
    public List<String> transactWrite(String what, List<TransactWriteItem> items) {
        return Transactions.write(client, what, items);
    }

    /**
     * One {@code TransactWriteItems}, not retried (for a caller that starts again from its own read).
     *
     * @return empty when it committed, else the cancellation reasons, one per item in order
     * @throws StoreUnavailableException for any other SDK failure
     */
    public List<String> transactWriteOnce(String what, List<TransactWriteItem> items) {
        try {
            client.transactWriteItems(b -> b.transactItems(items));
            return List.of();
        } catch (TransactionCanceledException e) {
            return Transactions.reasons(e);
        } catch (SdkException e) {
            throw unavailable(what, e);
        }
    }

    /** A transaction's {@code Put} of a new item: {@code attribute_not_exists(pk)}. */
    public TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(name).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build();
    }

    /** A transaction's unconditional {@code Delete}. */
    public TransactWriteItem delete(Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().delete(d -> d.tableName(name).key(key)).build();
    }
}
