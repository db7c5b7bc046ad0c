package dev.latchkey.infrastructure.access;

import dev.latchkey.core.access.Membership;
import dev.latchkey.core.access.MembershipDirectory;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Roles from the membership items ({@code pk = ORG#<orgId>}, {@code sk = MEMBER#<userId>}, attribute
 * {@code role}, as {@link dev.latchkey.infrastructure.account.DynamoDbUserRepository} writes them): one
 * strongly consistent {@code GetItem} per lookup, projecting {@code role} only. A role text that is not
 * a {@link Role} answers empty (no access, never guessed) and logs a warning without ids. SDK failures
 * become {@link StoreUnavailableException}.
 *
 * <p>{@link #membership} reads the membership and the organization item ({@code ORG#<orgId>}/{@code ORG}, attribute
 * {@code requireMfa}; absent, or no organization item, is false — the membership decides membership, as
 * {@link #role} does) in one strongly consistent {@code BatchGetItem}, so an authorization decision
 * with the organization's second-factor policy still costs one request.
 */
public final class DynamoDbMembershipDirectory implements MembershipDirectory {

    static final String ROLE = "role";

    private static final String REQUIRE_MFA = OrganizationItem.REQUIRE_MFA;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbMembershipDirectory.class);

    private final SingleTable table;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbMembershipDirectory(DynamoDbClient client, String tableName) {
        this.table = new SingleTable(client, tableName);
    }

    @Override
    public Optional<Role> role(String organizationId, String userId) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
        Optional<Map<String, AttributeValue>> item = table.get("membership read",
                Keys.membership(organizationId, userId),
                g -> g.projectionExpression("#role").expressionAttributeNames(Map.of("#role", ROLE)));
        if (item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue stored = item.get().get(ROLE);
        Optional<Role> role = Optional.ofNullable(stored).map(AttributeValue::s).flatMap(Role::parse);
        if (role.isEmpty()) {
            LOG.warn("membership item with an unknown role: treated as no membership");
        }
        return role;
    }

    @Override
    public Optional<Membership> membership(String organizationId, String userId) {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userId, "userId");
        List<Map<String, AttributeValue>> items = table.batchGet("membership read",
                List.of(Keys.membership(organizationId, userId), Keys.organization(organizationId)),
                b -> b.projectionExpression("#sk, #role, #mfa")
                        .expressionAttributeNames(Map.of("#sk", LatchkeyTable.SK, "#role", ROLE, "#mfa", REQUIRE_MFA)));
        Optional<Map<String, AttributeValue>> member = Optional.empty();
        Optional<Map<String, AttributeValue>> organization = Optional.empty();
        for (Map<String, AttributeValue> item : items) {
            if (Keys.ORG_SK.equals(item.get(LatchkeyTable.SK).s())) {
                organization = Optional.of(item);
            } else {
                member = Optional.of(item);
            }
        }
        if (member.isEmpty()) {
            return Optional.empty();
        }
        Optional<Role> role = Optional.ofNullable(member.get().get(ROLE)).map(AttributeValue::s).flatMap(Role::parse);
        if (role.isEmpty()) {
            LOG.warn("membership item with an unknown role: treated as no membership");
            return Optional.empty();
        }
        boolean requireMfa = organization.map(o -> o.get(REQUIRE_MFA)).map(AttributeValue::bool).orElse(false);
        return Optional.of(new Membership(role.get(), requireMfa));
    }
}
