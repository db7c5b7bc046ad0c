package dev.latchkey.infrastructure.account;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.Membership;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Accounts in the single table, through the low-level client.
 *
 * <table>
 *   <caption>Items</caption>
 *   <tr><th>item</th><th>pk</th><th>sk</th><th>attributes</th></tr>
 *   <tr><td>user</td><td>{@code USER#<userId>}</td><td>{@code PROFILE}</td><td>{@code userId, email} (display),
 *       {@code emailCanonical, emailMailbox, name, passwordHash} (PHC; absent for an account without a password),
 *       {@code emailVerified} (BOOL),
 *       {@code createdAt} (ISO-8601), {@code personalOrgId}, {@code emailVerifiedAt} once verified</td></tr>
 *   <tr><td>email claim</td><td>{@code EMAIL#<canonical>}</td><td>{@code EMAIL}</td><td>{@code userId}</td></tr>
 *   <tr><td>organization</td><td>{@code ORG#<orgId>}</td><td>{@code ORG}</td><td>{@code orgId, name, createdAt,
 *       createdBy, personal} (BOOL)</td></tr>
 *   <tr><td>membership</td><td>{@code ORG#<orgId>}</td><td>{@code MEMBER#<userId>}</td><td>{@code gsi1pk USER#<userId>,
 *       gsi1sk ORG#<orgId>, orgId, userId, role} ({@code owner}), {@code createdAt}</td></tr>
 * </table>
 *
 * <p><b>Registration</b> is one {@code TransactWriteItems} of five puts, each with
 * {@code attribute_not_exists(pk)}: user, claim, organization, membership and the audit event
 * ({@link DynamoDbAuditLog#transactWriteItem}). A failed claim condition cancels all five: 409. Parallel
 * registrations of one address can also be cancelled with {@code TransactionConflict} (DynamoDB refuses
 * concurrent transactions on one item); such an attempt is retried a few times with jittered backoff,
 * after which the winner's claim exists and the loser gets its 409.
 *
 * <p><b>Reads</b> are {@code GetItem} with {@code ConsistentRead}: {@link #findByEmail} is the claim, then
 * the profile — two reads whether or not the address is registered. <b>Failures</b>: every SDK failure
 * (throttling, 5xx, network, missing table,
 * after the SDK's own retries) becomes {@link StoreUnavailableException} (503); logs name the exception
 * class only, never an address.
 */
public final class DynamoDbUserRepository implements UserRepository {

    /** How often a registration cancelled by {@code TransactionConflict} is tried in all. */
    static final int MAX_ATTEMPTS = 5;

    static final String USER_PREFIX = "USER#";
    /** A user id that never exists (all-zero time and randomness), read for unknown addresses. */
    static final String NOBODY = "usr_00000000000000000000000000";
    static final String PROFILE = "PROFILE";
    static final String EMAIL_PREFIX = "EMAIL#";
    static final String EMAIL_SK = "EMAIL";
    static final String ORG_PREFIX = "ORG#";
    static final String ORG_SK = "ORG";
    static final String MEMBER_PREFIX = "MEMBER#";
    /** Most keys one {@code BatchGetItem} takes. */
    private static final int BATCH_GET_LIMIT = 100;
    /** Position of the claim in the registration transaction (cancellation reasons are positional). */
    private static final int CLAIM_INDEX = 1;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbUserRepository.class);

    private final DynamoDbClient client;
    private final String tableName;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbUserRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** The user item's key. */
    static Map<String, AttributeValue> userKey(String userId) {
        return key(USER_PREFIX + userId, PROFILE);
    }

    /** The claim item's key. */
    static Map<String, AttributeValue> claimKey(String canonicalEmail) {
        return key(EMAIL_PREFIX + canonicalEmail, EMAIL_SK);
    }

    @Override
    public Optional<User> findById(String userId) {
        return get(userKey(userId)).map(DynamoDbUserRepository::toUser);
    }

    @Override
    public Optional<User> findByEmail(String canonicalEmail) {
        Optional<String> userId = get(claimKey(canonicalEmail)).map(item -> item.get("userId").s());
        if (userId.isEmpty()) {
            // Same two reads for an unknown address as for a known one, so the time a login takes says
            // nothing about whether the account exists (SECURITY.md [6.3.8]); no item lives at this key.
            findById(NOBODY);
            return Optional.empty();
        }
        // The profile must still carry the address: a claim that lags a change names nobody.
        return userId.flatMap(this::findById).filter(user -> user.email().canonical().equals(canonicalEmail));
    }

    @Override
    public void create(NewAccount account) {
        List<TransactWriteItem> writes = List.of(
                putNew(userItem(account.user())),
                putNew(claimItem(account.user())),
                putNew(organizationItem(account.organization())),
                putNew(membershipItem(account.organization(), account.user())),
                auditLog.transactWriteItem(account.registered()));
        for (int attempt = 1; ; attempt++) {
            try {
                client.transactWriteItems(b -> b.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                List<String> reasons = e.hasCancellationReasons()
                        ? e.cancellationReasons().stream().map(DynamoDbUserRepository::code).toList() : List.of();
                if (reasons.size() > CLAIM_INDEX && "ConditionalCheckFailed".equals(reasons.get(CLAIM_INDEX))) {
                    throw AccountException.emailTaken();
                }
                if (reasons.contains("ConditionalCheckFailed")) {
                    // A fresh id or event key already exists: a bug (or tampering), never the caller's fault.
                    throw new IllegalStateException("registration cancelled by an unexpected condition: " + reasons);
                }
                if (!reasons.contains("TransactionConflict") || attempt == MAX_ATTEMPTS) {
                    LOG.warn("registration transaction cancelled: {}", reasons);
                    throw new StoreUnavailableException(e);
                }
                Transactions.backOff(attempt);
            } catch (SdkException e) {
                throw unavailable("registration", e);
            }
        }
    }

    @Override
    public Optional<User> markEmailVerified(String userId, String canonicalEmail, Instant at) {
        try {
            UpdateItemResponse response = client.updateItem(b -> b.tableName(tableName)
                    .key(userKey(userId))
                    .updateExpression("SET #verified = :true, #verifiedAt = if_not_exists(#verifiedAt, :at)")
                    .conditionExpression("attribute_exists(#pk) AND #canonical = :email")
                    .expressionAttributeNames(Map.of("#verified", "emailVerified", "#verifiedAt", "emailVerifiedAt",
                            "#pk", LatchkeyTable.PK, "#canonical", "emailCanonical"))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true),
                            ":at", AttributeValue.fromS(at.toString()), ":email", AttributeValue.fromS(canonicalEmail)))
                    .returnValues(ReturnValue.ALL_NEW));
            return Optional.of(toUser(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw unavailable("email verification update", e);
        }
    }

    /**
     * One {@code Query} on {@code gsi1} ({@code gsi1pk = USER#<id>}, {@code begins_with(gsi1sk, ORG#)},
     * paginated) for the membership items, then {@code BatchGetItem} (consistent) for the organizations'
     * names; an organization item that is missing (deleted meanwhile) drops its membership.
     */
    @Override
    public List<Membership> memberships(String userId) {
        try {
            Map<String, String> roles = new TreeMap<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = client.query(b -> b.tableName(tableName).indexName(LatchkeyTable.GSI1)
                        .keyConditionExpression("#gpk = :user AND begins_with(#gsk, :org)")
                        .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                        .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(USER_PREFIX + userId),
                                ":org", AttributeValue.fromS(ORG_PREFIX)))
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    if (item.containsKey("orgId") && item.containsKey("role")) {
                        roles.put(item.get("orgId").s(), item.get("role").s());
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            } while (start != null);
            Map<String, String> names = organizationNames(List.copyOf(roles.keySet()));
            List<Membership> memberships = new ArrayList<>();
            roles.forEach((orgId, role) -> {
                String name = names.get(orgId);
                if (name != null) {
                    memberships.add(new Membership(orgId, name, role));
                }
            });
            return List.copyOf(memberships);
        } catch (SdkException e) {
            throw unavailable("memberships read", e);
        }
    }

    /**
     * One conditional {@code UpdateItem}: {@code attribute_exists(pk) AND passwordHash = :expected}, or, for an
     * account without a password ({@code expectedHash} empty, stored as no attribute at all),
     * {@code attribute_not_exists(passwordHash)}.
     */
    @Override
    public boolean replacePasswordHash(String userId, String expectedHash, String newHash) {
        boolean noPassword = expectedHash.isEmpty();
        Map<String, AttributeValue> values = noPassword ? Map.of(":new", AttributeValue.fromS(newHash))
                : Map.of(":new", AttributeValue.fromS(newHash), ":expected", AttributeValue.fromS(expectedHash));
        try {
            client.updateItem(b -> b.tableName(tableName)
                    .key(userKey(userId))
                    .updateExpression("SET #hash = :new")
                    .conditionExpression(noPassword ? "attribute_exists(#pk) AND attribute_not_exists(#hash)"
                            : "attribute_exists(#pk) AND #hash = :expected")
                    .expressionAttributeNames(Map.of("#hash", "passwordHash", "#pk", LatchkeyTable.PK))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw unavailable("password hash update", e);
        }
    }

    private Map<String, String> organizationNames(List<String> organizationIds) {
        Map<String, String> names = new HashMap<>();
        for (int from = 0; from < organizationIds.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = organizationIds
                    .subList(from, Math.min(organizationIds.size(), from + BATCH_GET_LIMIT)).stream()
                    .map(id -> key(ORG_PREFIX + id, ORG_SK)).toList();
            Map<String, KeysAndAttributes> request = Map.of(tableName,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> current = request;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(current));
                response.responses().getOrDefault(tableName, List.of()).forEach(item ->
                        names.put(item.get("orgId").s(), item.get("name").s()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw new StoreUnavailableException(new IllegalStateException("unprocessed keys remain"));
                    }
                    Transactions.backOff(attempt);
                }
            }
        }
        return names;
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        try {
            GetItemResponse response = client.getItem(b -> b.tableName(tableName).key(key).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (SdkException e) {
            throw unavailable("account read", e);
        }
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build();
    }

    private static Map<String, AttributeValue> userItem(User user) {
        Map<String, AttributeValue> item = new HashMap<>(userKey(user.id()));
        item.put("type", AttributeValue.fromS("USER"));
        item.put("userId", AttributeValue.fromS(user.id()));
        item.put("email", AttributeValue.fromS(user.email().display()));
        item.put("emailCanonical", AttributeValue.fromS(user.email().canonical()));
        item.put("emailMailbox", AttributeValue.fromS(user.email().mailbox()));
        item.put("name", AttributeValue.fromS(user.name()));
        if (user.hasPassword()) {
            item.put("passwordHash", AttributeValue.fromS(user.passwordHash()));
        }
        item.put("emailVerified", AttributeValue.fromBool(user.emailVerified()));
        item.put("createdAt", AttributeValue.fromS(user.createdAt().toString()));
        item.put("personalOrgId", AttributeValue.fromS(user.personalOrganizationId()));
        return item;
    }

    private static Map<String, AttributeValue> claimItem(User user) {
        Map<String, AttributeValue> item = new HashMap<>(claimKey(user.email().canonical()));
        item.put("type", AttributeValue.fromS("EMAIL_CLAIM"));
        item.put("userId", AttributeValue.fromS(user.id()));
        return item;
    }

    private static Map<String, AttributeValue> organizationItem(PersonalOrganization organization) {
        Map<String, AttributeValue> item = new HashMap<>(key(ORG_PREFIX + organization.id(), ORG_SK));
        item.put("type", AttributeValue.fromS("ORG"));
        item.put("orgId", AttributeValue.fromS(organization.id()));
        item.put("name", AttributeValue.fromS(organization.name()));
        item.put("personal", AttributeValue.fromBool(true));
        item.put("createdAt", AttributeValue.fromS(organization.createdAt().toString()));
        item.put("createdBy", AttributeValue.fromS(organization.createdBy()));
        return item;
    }

    private static Map<String, AttributeValue> membershipItem(PersonalOrganization organization, User user) {
        Map<String, AttributeValue> item = new HashMap<>(key(ORG_PREFIX + organization.id(),
                MEMBER_PREFIX + user.id()));
        item.put(LatchkeyTable.GSI1_PK, AttributeValue.fromS(USER_PREFIX + user.id()));
        item.put(LatchkeyTable.GSI1_SK, AttributeValue.fromS(ORG_PREFIX + organization.id()));
        item.put("type", AttributeValue.fromS("MEMBERSHIP"));
        item.put("orgId", AttributeValue.fromS(organization.id()));
        item.put("userId", AttributeValue.fromS(user.id()));
        item.put("role", AttributeValue.fromS(PersonalOrganization.OWNER_ROLE));
        item.put("createdAt", AttributeValue.fromS(organization.createdAt().toString()));
        return item;
    }

    private static User toUser(Map<String, AttributeValue> item) {
        EmailAddress email = EmailAddress.parse(item.get("email").s());
        // An account without a password (passkeys only) has no passwordHash attribute.
        String passwordHash = item.containsKey("passwordHash") ? item.get("passwordHash").s() : "";
        return new User(item.get("userId").s(), email, item.get("name").s(), passwordHash,
                Boolean.TRUE.equals(item.get("emailVerified").bool()), Instant.parse(item.get("createdAt").s()),
                item.get("personalOrgId").s());
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(LatchkeyTable.PK, AttributeValue.fromS(pk), LatchkeyTable.SK, AttributeValue.fromS(sk));
    }

    private static String code(CancellationReason reason) {
        return reason == null || reason.code() == null ? "None" : reason.code();
    }

    private static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
