package dev.latchkey.infrastructure.dynamodb;

import dev.latchkey.core.audit.AuditException;
import dev.latchkey.core.store.StoreUnavailableException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What every adapter that writes a change together with its audit event in one {@code TransactWriteItems}
 * needs to read a cancellation: which item's condition failed, whether to retry, and what to tell the
 * caller. Logs carry only cancellation codes, never an item.
 */
public final class Transactions {

    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";

    private Transactions() {
    }

    /** Attempts of {@link #write} while {@code TransactionConflict} alone cancels a transaction. */
    public static final int MAX_ATTEMPTS = 3;

    /**
     * Runs a transaction; retries it (with {@link #backOff}) while {@code TransactionConflict} alone cancels it,
     * at most {@value #MAX_ATTEMPTS} attempts.
     *
     * @return empty when it committed, else the cancellation reasons (one per item, in order)
     * @throws StoreUnavailableException for any other SDK failure
     */
    public static List<String> write(DynamoDbClient client, String what, List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.transactWriteItems(b -> b.transactItems(writes));
                return List.of();
            } catch (TransactionCanceledException e) {
                List<String> reasons = reasons(e);
                boolean conflictOnly = reasons.contains("TransactionConflict")
                        && reasons.stream().allMatch(r -> r.equals("TransactionConflict") || r.equals("None"));
                if (!conflictOnly || attempt == MAX_ATTEMPTS) {
                    return reasons;
                }
                backOff(attempt);
            } catch (SdkException e) {
                LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
                throw new StoreUnavailableException(e);
            }
        }
    }

    /** The cancellation codes, one per item in request order ({@code None} for an item that was fine). */
    public static List<String> reasons(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return List.of("Unknown");
        }
        return e.cancellationReasons().stream().map(Transactions::code).toList();
    }

    /** Whether the item at {@code index} failed its condition. */
    public static boolean failedCondition(List<String> reasons, int index) {
        return index >= 0 && reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index));
    }

    /**
     * A cancellation not caused by the change's own conditions: the audit event at {@code auditIndex}
     * exists already (409 {@link AuditException#duplicate()}), else throttling, a persistent conflict or
     * anything else (503).
     *
     * @param auditIndex the audit item's position, or -1 when the transaction has none
     */
    public static RuntimeException cancelled(String what, List<String> reasons, int auditIndex) {
        if (failedCondition(reasons, auditIndex)) {
            return AuditException.duplicate();
        }
        LOG.warn("{} transaction cancelled: {}", what, reasons);
        return new StoreUnavailableException(new IllegalStateException(what + " cancelled: " + reasons));
    }

    /** Sleeps before retry {@code attempt} (1, 2, …): 10·2^attempt ms plus as much jitter. */
    public static void backOff(int attempt) {
        long base = 10L << attempt;
        try {
            Thread.sleep(base + ThreadLocalRandom.current().nextLong(base));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(e);
        }
    }

    private static String code(CancellationReason reason) {
        return reason == null || reason.code() == null ? "None" : reason.code();
    }
}
