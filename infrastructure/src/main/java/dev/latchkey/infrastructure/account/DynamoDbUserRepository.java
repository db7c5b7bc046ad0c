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
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

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

    /** A user id that never exists (all-zero time and randomness), read for unknown addresses. */
    static final String NOBODY = "usr_00000000000000000000000000";
    /** Position of the claim in the registration transaction (cancellation reasons are positional). */
    private static final int CLAIM_INDEX = 1;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbUserRepository.class);

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbUserRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** The user item's key. */
    static Map<String, AttributeValue> userKey(String userId) {
        return Keys.user(userId);
    }

    /** The claim item's key. */
    static Map<String, AttributeValue> claimKey(String canonicalEmail) {
        return Keys.emailClaim(canonicalEmail);
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
                table.putNew(userItem(account.user())),
                table.putNew(claimItem(account.user())),
                table.putNew(organizationItem(account.organization())),
                table.putNew(membershipItem(account.organization(), account.user())),
                auditLog.transactWriteItem(account.registered()));
        for (int attempt = 1; ; attempt++) {
            List<String> reasons = table.transactWriteOnce("registration", writes);
            if (reasons.isEmpty()) {
                return;
            }
            if (Transactions.failedCondition(reasons, CLAIM_INDEX)) {
                throw AccountException.emailTaken();
            }
            if (reasons.contains("ConditionalCheckFailed")) {
                // A fresh id or event key already exists: a bug (or tampering), never the caller's fault.
                throw new IllegalStateException("registration cancelled by an unexpected condition: " + reasons);
            }
            if (!reasons.contains("TransactionConflict") || attempt == MAX_ATTEMPTS) {
                LOG.warn("registration transaction cancelled: {}", reasons);
                throw new StoreUnavailableException(new IllegalStateException("registration cancelled: " + reasons));
            }
            Transactions.backOff(attempt);
        }
    }

    @Override
    public boolean setDisabled(String userId, boolean disabled) {
        return table.conditional("account disable", () -> table.client().updateItem(b -> {
            b.tableName(table.name()).key(userKey(userId)).conditionExpression("attribute_exists(#pk)");
            if (disabled) {
                b.updateExpression("SET #disabled = :true")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#disabled", "disabled"))
                        .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true)));
            } else {
                b.updateExpression("REMOVE #disabled")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#disabled", "disabled"));
            }
        })).isPresent();
    }

    /** What {@link #importUser} did. */
    public enum ImportResult {
        /** The profile and the email claim were written. */
        CREATED,
        /** A user with this id exists already: nothing written (an import run twice). */
        EXISTS,
        /** Another account claims the address: nothing written. */
        EMAIL_TAKEN
    }

    /**
     * Writes an exported user's profile and email claim as they were (admin CLI import; the personal organization
     * and its owner membership come as their own exported items). One transaction, each item only if absent.
     *
     * @param user the user with its id, password hash (any format {@link PhcPasswordHasher} verifies) and dates
     * @throws StoreUnavailableException when the store cannot commit it
     */
    public ImportResult importUser(User user) {
        List<String> reasons = table.transactWrite("user import",
                List.of(table.putNew(userItem(user)), table.putNew(claimItem(user))));
        if (reasons.isEmpty()) {
            return ImportResult.CREATED;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            return ImportResult.EXISTS;
        }
        if (Transactions.failedCondition(reasons, CLAIM_INDEX)) {
            return ImportResult.EMAIL_TAKEN;
        }
        throw new StoreUnavailableException(new IllegalStateException("user import cancelled: " + reasons));
    }

    @Override
    public Optional<User> markEmailVerified(String userId, String canonicalEmail, Instant at) {
        return table.conditional("email verification update", () -> table.client().updateItem(b -> b
                        .tableName(table.name())
                        .key(userKey(userId))
                        .updateExpression("SET #verified = :true, #verifiedAt = if_not_exists(#verifiedAt, :at)")
                        .conditionExpression("attribute_exists(#pk) AND #canonical = :email")
                        .expressionAttributeNames(Map.of("#verified", "emailVerified", "#verifiedAt",
                                "emailVerifiedAt", "#pk", LatchkeyTable.PK, "#canonical", "emailCanonical"))
                        .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true),
                                ":at", AttributeValue.fromS(at.toString()), ":email",
                                AttributeValue.fromS(canonicalEmail)))
                        .returnValues(ReturnValue.ALL_NEW)))
                .map(response -> toUser(response.attributes()));
    }

    /**
     * One {@code Query} on {@code gsi1} ({@code gsi1pk = USER#<id>}, {@code begins_with(gsi1sk, ORG#)},
     * paginated) for the membership items, then {@code BatchGetItem} (consistent) for the organizations'
     * names; an organization item that is missing (deleted meanwhile) drops its membership.
     */
    @Override
    public List<Membership> memberships(String userId) {
        Map<String, String> roles = new TreeMap<>();
        for (Map<String, AttributeValue> item : table.queryAll("memberships read", b -> b
                .indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :user AND begins_with(#gsk, :org)")
                .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(Keys.userPk(userId)),
                        ":org", AttributeValue.fromS(Keys.ORG))))) {
            if (item.containsKey("orgId") && item.containsKey("role")) {
                roles.put(item.get("orgId").s(), item.get("role").s());
            }
        }
        Map<String, String> names = new HashMap<>();
        table.batchGet("memberships read", roles.keySet().stream().map(Keys::organization).toList(), b -> { })
                .forEach(item -> names.put(item.get("orgId").s(), item.get("name").s()));
        List<Membership> memberships = new ArrayList<>();
        roles.forEach((orgId, role) -> {
            String name = names.get(orgId);
            if (name != null) {
                memberships.add(new Membership(orgId, name, role));
            }
        });
        return List.copyOf(memberships);
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
        return table.conditional("password hash update", () -> table.client().updateItem(b -> b
                .tableName(table.name())
                .key(userKey(userId))
                .updateExpression("SET #hash = :new")
                .conditionExpression(noPassword ? "attribute_exists(#pk) AND attribute_not_exists(#hash)"
                        : "attribute_exists(#pk) AND #hash = :expected")
                .expressionAttributeNames(Map.of("#hash", "passwordHash", "#pk", LatchkeyTable.PK))
                .expressionAttributeValues(values))).isPresent();
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        return table.get("account read", key);
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
        if (user.disabled()) {
            item.put("disabled", AttributeValue.fromBool(true));
        }
        return item;
    }

    private static Map<String, AttributeValue> claimItem(User user) {
        Map<String, AttributeValue> item = new HashMap<>(claimKey(user.email().canonical()));
        item.put("type", AttributeValue.fromS("EMAIL_CLAIM"));
        item.put("userId", AttributeValue.fromS(user.id()));
        return item;
    }

    private static Map<String, AttributeValue> organizationItem(PersonalOrganization organization) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.organization(organization.id()));
        item.put("type", AttributeValue.fromS("ORG"));
        item.put("orgId", AttributeValue.fromS(organization.id()));
        item.put("name", AttributeValue.fromS(organization.name()));
        item.put("personal", AttributeValue.fromBool(true));
        item.put("createdAt", AttributeValue.fromS(organization.createdAt().toString()));
        item.put("createdBy", AttributeValue.fromS(organization.createdBy()));
        return item;
    }

    private static Map<String, AttributeValue> membershipItem(PersonalOrganization organization, User user) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.membership(organization.id(), user.id()));
        item.put(LatchkeyTable.GSI1_PK, AttributeValue.fromS(Keys.userPk(user.id())));
        item.put(LatchkeyTable.GSI1_SK, AttributeValue.fromS(Keys.organizationPk(organization.id())));
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
                item.get("personalOrgId").s(),
                item.containsKey("disabled") && Boolean.TRUE.equals(item.get("disabled").bool()));
    }
}
