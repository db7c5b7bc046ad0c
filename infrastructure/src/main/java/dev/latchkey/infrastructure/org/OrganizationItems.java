package dev.latchkey.infrastructure.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.OneTimeTokens;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.InvitationState;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.Organization;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What the organization, membership and invitation adapters share: the items' attributes (keys from {@link Keys}),
 * the mapping to core's records, the organization version condition, and the consistent query of an organization's
 * partition.
 */
final class OrganizationItems {

    static final String VERSION = OrganizationItem.VERSION;
    static final String REQUIRE_MFA = OrganizationItem.REQUIRE_MFA;

    private static final Logger LOG = LoggerFactory.getLogger(OrganizationItems.class);

    private OrganizationItems() {
    }

    /** The invitee claim's key: the address only as a SHA-256, so the key holds no address. */
    static Map<String, AttributeValue> inviteeKey(String organizationId, String canonicalEmail) {
        return Keys.invitee(organizationId, OneTimeTokens.sha256Hex(canonicalEmail));
    }

    /** The condition "the organization exists and its version is still {@code version}" ({@code #pk, #version}). */
    static String versionCondition(long version) {
        return version == 0 ? "attribute_exists(#pk) AND (attribute_not_exists(#version) OR #version = :seen)"
                : "attribute_exists(#pk) AND #version = :seen";
    }

    static Map<String, AttributeValue> versionValues(long version) {
        return Map.of(":seen", n(version));
    }

    /**
     * Consistent {@code Query} of {@code pk = ORG#<orgId>} with {@code begins_with(sk, prefix)}, after an exclusive
     * sort key, paginated until {@code max} items (or the end).
     */
    static List<Map<String, AttributeValue>> queryPartition(SingleTable table, String organizationId, String prefix,
            Optional<String> afterSortKey, int max, boolean ownersOnly) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = afterSortKey.map(sk -> Keys.key(Keys.organizationPk(organizationId), sk))
                .orElse(null);
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(Keys.organizationPk(organizationId))));
        String condition = "#pk = :pk";
        if (!prefix.isEmpty()) {
            condition += " AND begins_with(#sk, :prefix)";
            values.put(":prefix", s(prefix));
        } else {
            names.remove("#sk");
        }
        if (ownersOnly) {
            names.put("#role", "role");
            values.put(":owner", s(Role.OWNER.text()));
        }
        String keyCondition = condition;
        do {
            Map<String, AttributeValue> from = start;
            int read = items.size();
            QueryResponse page = table.query("organization query", request -> {
                QueryRequest.Builder b = request.consistentRead(true).keyConditionExpression(keyCondition)
                        .expressionAttributeNames(names).expressionAttributeValues(values).exclusiveStartKey(from);
                if (ownersOnly) {
                    b.filterExpression("#role = :owner");
                } else if (max != Integer.MAX_VALUE) {
                    b.limit(max - read);
                }
            });
            items.addAll(page.items());
            start = SingleTable.hasMore(page) && items.size() < max ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items.size() > max ? items.subList(0, max) : items;
    }

    // ------------------------------------------------------------------ items

    static Map<String, AttributeValue> organizationItem(Organization organization) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.organization(organization.id()));
        item.put("type", s("ORG"));
        item.put("orgId", s(organization.id()));
        item.put("name", s(organization.name()));
        item.put("personal", AttributeValue.fromBool(organization.personal()));
        item.put("createdAt", s(organization.createdAt().toString()));
        item.put("createdBy", s(organization.createdBy()));
        item.put(VERSION, n(organization.version()));
        if (organization.requireMfa()) {
            item.put(REQUIRE_MFA, AttributeValue.fromBool(true));
        }
        return item;
    }

    static Map<String, AttributeValue> memberItem(Member member) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.membership(member.organizationId(), member.userId()));
        item.put(LatchkeyTable.GSI1_PK, s(Keys.userPk(member.userId())));
        item.put(LatchkeyTable.GSI1_SK, s(Keys.organizationPk(member.organizationId())));
        item.put("type", s("MEMBERSHIP"));
        item.put("orgId", s(member.organizationId()));
        item.put("userId", s(member.userId()));
        item.put("role", s(member.role().text()));
        item.put("createdAt", s(member.joinedAt().toString()));
        return item;
    }

    static Map<String, AttributeValue> invitationItem(Invitation invitation) {
        Map<String, AttributeValue> item = new HashMap<>(Keys.invitation(invitation.organizationId(),
                invitation.id()));
        item.put("type", s("INVITATION"));
        item.put("invitationId", s(invitation.id()));
        item.put("orgId", s(invitation.organizationId()));
        item.put("email", s(invitation.email()));
        item.put("role", s(invitation.role().text()));
        item.put("state", s(invitation.state().name()));
        item.put("invitedBy", s(invitation.invitedBy()));
        item.put("createdAt", s(invitation.createdAt().toString()));
        item.put("validUntil", s(invitation.expiresAt().toString()));
        item.put("tokenHash", s(invitation.tokenHash()));
        item.put(LatchkeyTable.TTL_ATTRIBUTE, n(ttl(invitation.expiresAt())));
        return item;
    }

    static Organization toOrganization(Map<String, AttributeValue> item) {
        return new Organization(item.get("orgId").s(), item.get("name").s(),
                Optional.ofNullable(item.get("personal")).map(AttributeValue::bool).orElse(false),
                Instant.parse(item.get("createdAt").s()), item.get("createdBy").s(),
                Optional.ofNullable(item.get(VERSION)).map(v -> Long.parseLong(v.n())).orElse(0L),
                Optional.ofNullable(item.get(REQUIRE_MFA)).map(AttributeValue::bool).orElse(false));
    }

    /** A membership; empty (and a warning without ids) for a role text that is no {@link Role}. */
    static Optional<Member> toMember(Map<String, AttributeValue> item) {
        Optional<Role> role = Optional.ofNullable(item.get("role")).map(AttributeValue::s).flatMap(Role::parse);
        if (role.isEmpty()) {
            LOG.warn("membership item with an unknown role: skipped");
            return Optional.empty();
        }
        return Optional.of(new Member(item.get("orgId").s(), item.get("userId").s(), role.get(),
                Instant.parse(item.get("createdAt").s())));
    }

    static Invitation toInvitation(Map<String, AttributeValue> item) {
        return new Invitation(item.get("invitationId").s(), item.get("orgId").s(), item.get("email").s(),
                Role.parse(item.get("role").s()).orElseThrow(), InvitationState.valueOf(item.get("state").s()),
                item.get("invitedBy").s(), Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("validUntil").s()), item.get("tokenHash").s());
    }

    /** The TTL in epoch seconds, rounded up so the item never goes before its validity ends. */
    static long ttl(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
