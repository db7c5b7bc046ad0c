package dev.latchkey.infrastructure.dynamodb;

import dev.latchkey.core.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Reads every page of one {@code Query}; SDK failures become {@link StoreUnavailableException}. */
public final class Queries {

    private static final Logger LOG = LoggerFactory.getLogger(Queries.class);

    private Queries() {
    }

    /**
     * Every item the query matches, following {@code LastEvaluatedKey} (one request per 1 MB page).
     *
     * @param what names the read in a log line (no ids)
     * @param request the query without a start key
     */
    public static List<Map<String, AttributeValue>> all(DynamoDbClient client, String what,
            UnaryOperator<QueryRequest.Builder> request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse response;
            try {
                response = client.query(request.apply(QueryRequest.builder()).exclusiveStartKey(from).build());
            } catch (SdkException e) {
                LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
                throw new StoreUnavailableException(e);
            }
            items.addAll(response.items());
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
