package dev.latchkey.infrastructure.org;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.OneTimeTokens;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.org.Invitation;
import dev.latchkey.core.org.InvitationPage;
import dev.latchkey.core.org.InvitationState;
import dev.latchkey.core.org.Member;
import dev.latchkey.core.org.MemberOrganization;
import dev.latchkey.core.org.MemberPage;
import dev.latchkey.core.org.OrgException;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.OrganizationContents;
import dev.latchkey.core.org.OrganizationRepository;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Organizations, memberships and invitations in the single table, through the low-level client
 * (docs/data-model.md).
 *
 * <p><b>Items.</b> Organization {@code ORG#<orgId>}/{@code ORG} ({@code orgId, name, personal, createdAt,
 * createdBy, version}; an absent {@code version} is 0). Membership {@code ORG#<orgId>}/{@code MEMBER#<userId>}, gsi1
 * {@code USER#<userId>}/{@code ORG#<orgId>} ({@code orgId, userId, role, createdAt}), exactly as registration writes
 * it, so {@code GET /v1/users/me} lists it. Invitation {@code ORG#<orgId>}/{@code INVITATION#<invitationId>}
 * ({@code invitationId, orgId, email} canonical, {@code role, state, invitedBy, createdAt, validUntil, tokenHash},
 * TTL {@code expiresAt}); token lookup {@code INVITATION#<sha256 hex>}/{@code INVITATION} ({@code orgId,
 * invitationId}, TTL); invitee claim {@code ORG#<orgId>}/{@code INVITEE#<sha256 hex of the canonical email>}
 * ({@code invitationId, validUntilMs}, TTL) — one open invitation per address and organization, taken with
 * {@code attribute_not_exists(pk) OR validUntilMs <= :now}. Never the token.
 *
 * <p><b>Requests.</b> Every change is one {@code TransactWriteItems} with the audit event's put
 * ({@link DynamoDbAuditLog#transactWriteItem}); every read a decision depends on is a strongly consistent
 * {@code GetItem} or {@code Query}; only {@link #organizationsOf} reads the (eventually consistent) index. Every
 * addition under an organization ({@link #createInvitation}, {@link #acceptInvitation}, and in the other adapters
 * teams, resources, grants, clients and API keys) bumps its {@code version} ({@code ADD version :1} with
 * {@code attribute_exists(pk)}); {@link #delete} conditions on it.
 *
 * <p><b>Failures.</b> SDK failures become {@link StoreUnavailableException}; logs name the exception class only.
 */
public final class DynamoDbOrganizationRepository implements OrganizationRepository {

    static final String ORG_PREFIX = "ORG#";
    static final String ORG_SK = "ORG";
    static final String MEMBER_PREFIX = "MEMBER#";
    static final String USER_PREFIX = "USER#";
    static final String INVITATION_PREFIX = "INVITATION#";
    static final String INVITATION_SK = "INVITATION";
    static final String INVITEE_PREFIX = "INVITEE#";
    static final String TEAM_PREFIX = "TEAM#";
    static final String TEAM_MEMBER_PREFIX = "TEAMMEMBER#";
    static final String RESOURCE_PREFIX = "RESOURCE#";
    static final String GRANT_PREFIX = "GRANT#";
    static final String CLIENT_PREFIX = "CLIENT#";
    static final String API_KEY_PREFIX = "APIKEY#";
    static final String VERSION = "version";

    /** Items of one transaction: DynamoDB's limit. */
    static final int MAX_TRANSACTION_ITEMS = 100;
    /** Attempts of a member removal while additions under the organization keep moving its version. */
    static final int REMOVE_ATTEMPTS = 3;
    private static final int BATCH_GET_LIMIT = 100;

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbOrganizationRepository.class);

    private final DynamoDbClient client;
    private final String tableName;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbOrganizationRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    // ------------------------------------------------------------------ keys

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(LatchkeyTable.PK, s(pk), LatchkeyTable.SK, s(sk));
    }

    static Map<String, AttributeValue> organizationKey(String organizationId) {
        return OrganizationItem.key(organizationId);
    }

    static Map<String, AttributeValue> memberKey(String organizationId, String userId) {
        return key(ORG_PREFIX + organizationId, MEMBER_PREFIX + userId);
    }

    static Map<String, AttributeValue> invitationKey(String organizationId, String invitationId) {
        return key(ORG_PREFIX + organizationId, INVITATION_PREFIX + invitationId);
    }

    static Map<String, AttributeValue> tokenKey(String tokenHash) {
        return key(INVITATION_PREFIX + tokenHash, INVITATION_SK);
    }

    /** The invitee claim: the address only as a SHA-256, so the key holds no address. */
    static Map<String, AttributeValue> inviteeKey(String organizationId, String canonicalEmail) {
        return key(ORG_PREFIX + organizationId, INVITEE_PREFIX + OneTimeTokens.sha256Hex(canonicalEmail));
    }

    // ------------------------------------------------------------------ organizations

    @Override
    public void create(Organization organization, Member owner, AuditEvent event) {
        List<TransactWriteItem> items = List.of(putNew(organizationItem(organization)), putNew(memberItem(owner)),
                auditLog.transactWriteItem(event));
        List<String> reasons = Transactions.write(client, "organization create", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)) {
            throw OrgException.conflict("ALREADY_EXISTS", "An organization with this id exists.");
        }
        throw Transactions.cancelled("organization create", reasons, 2);
    }

    @Override
    public Optional<Organization> find(String organizationId) {
        return get(organizationKey(organizationId)).map(DynamoDbOrganizationRepository::toOrganization);
    }

    /**
     * One {@code Query} on {@code gsi1} ({@code USER#<id>}, {@code begins_with(gsi1sk, ORG#)}, paginated), then
     * {@code BatchGetItem} (consistent) of the organizations; a membership whose organization is gone is left out.
     */
    @Override
    public List<MemberOrganization> organizationsOf(String userId) {
        Map<String, Role> roles = new TreeMap<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = client.query(b -> b.tableName(tableName).indexName(LatchkeyTable.GSI1)
                        .keyConditionExpression("#gpk = :user AND begins_with(#gsk, :org)")
                        .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                        .expressionAttributeValues(Map.of(":user", s(USER_PREFIX + userId), ":org", s(ORG_PREFIX)))
                        .exclusiveStartKey(from));
                for (Map<String, AttributeValue> item : page.items()) {
                    Optional<Role> role = Optional.ofNullable(item.get("role")).map(AttributeValue::s)
                            .flatMap(Role::parse);
                    if (item.containsKey("orgId") && role.isPresent()) {
                        roles.put(item.get("orgId").s(), role.get());
                    }
                }
                start = hasMore(page) ? page.lastEvaluatedKey() : null;
            } while (start != null);
            Map<String, Organization> organizations = batchGetOrganizations(List.copyOf(roles.keySet()));
            List<MemberOrganization> result = new ArrayList<>();
            roles.forEach((id, role) -> {
                Organization organization = organizations.get(id);
                if (organization != null) {
                    result.add(new MemberOrganization(organization, role));
                }
            });
            return List.copyOf(result);
        } catch (SdkException e) {
            throw unavailable("organizations read", e);
        }
    }

    @Override
    public void rename(String organizationId, String name, AuditEvent event) {
        TransactWriteItem update = TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(organizationKey(organizationId))
                .updateExpression("SET #name = :name")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#name", "name", "#pk", LatchkeyTable.PK))
                .expressionAttributeValues(Map.of(":name", s(name)))).build();
        List<String> reasons = Transactions.write(client, "organization rename",
                List.of(update, auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw OrgException.notFound();
        }
        throw Transactions.cancelled("organization rename", reasons, 1);
    }

    /**
     * {@code GetItem} of the organization (consistent); one consistent {@code Query} of its partition (paginated),
     * classified by sort key. Clients and API keys are counted by their markers there ({@code CLIENT#<clientId>},
     * {@code APIKEY#<keyId>}, written in the same transactions as the client or key), not through the eventually
     * consistent index, so one committed before this read is always seen.
     */
    @Override
    public OrganizationContents contents(String organizationId) {
        Organization organization = find(organizationId).orElseThrow(OrgException::notFound);
        List<String> members = new ArrayList<>();
        List<Invitation> invitations = new ArrayList<>();
        int teams = 0;
        int resources = 0;
        int grants = 0;
        int clients = 0;
        int apiKeys = 0;
        int other = 0;
        for (Map<String, AttributeValue> item : queryPartition(organizationId, "", Optional.empty(), Integer.MAX_VALUE,
                false)) {
            String sk = item.get(LatchkeyTable.SK).s();
            if (sk.equals(ORG_SK) || sk.startsWith(INVITEE_PREFIX)) {
                continue;
            } else if (sk.startsWith(MEMBER_PREFIX)) {
                members.add(sk.substring(MEMBER_PREFIX.length()));
            } else if (sk.startsWith(INVITATION_PREFIX)) {
                invitations.add(toInvitation(item));
            } else if (sk.startsWith(TEAM_PREFIX)) {
                teams++;
            } else if (sk.startsWith(RESOURCE_PREFIX)) {
                resources++;
            } else if (sk.startsWith(GRANT_PREFIX)) {
                grants++;
            } else if (sk.startsWith(CLIENT_PREFIX)) {
                clients++;
            } else if (sk.startsWith(API_KEY_PREFIX)) {
                apiKeys++;
            } else {
                other++;
            }
        }
        return new OrganizationContents(organization, members, teams, resources, grants, clients, apiKeys, other,
                invitations);
    }

    /**
     * One {@code TransactWriteItems}: {@code Delete} of the organization conditioned on its version (so an addition
     * since {@link #contents} cancels it), of the deleter's membership, of every invitation that could still be
     * accepted with its token lookup and invitee claim, and the audit event. Invitations that can no longer be
     * accepted (and anything beyond the transaction's item limit) are deleted after the commit, one
     * {@code DeleteItem} each; they also expire by TTL within {@link dev.latchkey.core.org.Invitations#LIFETIME}.
     */
    @Override
    public void delete(OrganizationContents contents, Optional<String> deleterUserId, AuditEvent event) {
        Organization organization = contents.organization();
        String id = organization.id();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName).key(organizationKey(id))
                .conditionExpression(versionCondition(organization.version()))
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", VERSION))
                .expressionAttributeValues(versionValues(organization.version()))).build());
        deleterUserId.ifPresent(userId -> items.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName)
                .key(memberKey(id, userId))).build()));
        Map<String, Map<String, AttributeValue>> later = new LinkedHashMap<>();
        Map<String, Map<String, AttributeValue>> now = new LinkedHashMap<>();
        Instant at = event.occurredAt();
        for (Invitation invitation : contents.invitations()) {
            Map<String, Map<String, AttributeValue>> target = invitation.openAt(at)
                    && now.size() + items.size() + 4 <= MAX_TRANSACTION_ITEMS ? now : later;
            target.put(invitationKey(id, invitation.id()).toString(), invitationKey(id, invitation.id()));
            if (invitation.state() == InvitationState.PENDING) {
                target.put(tokenKey(invitation.tokenHash()).toString(), tokenKey(invitation.tokenHash()));
                target.put(inviteeKey(id, invitation.email()).toString(), inviteeKey(id, invitation.email()));
            }
        }
        now.keySet().forEach(later::remove);
        now.values().forEach(k -> items.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName).key(k))
                .build()));
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = Transactions.write(client, "organization delete", items);
        if (!reasons.isEmpty()) {
            if (Transactions.failedCondition(reasons, 0)) {
                throw OrgException.concurrentChange();
            }
            throw Transactions.cancelled("organization delete", reasons, items.size() - 1);
        }
        for (Map<String, AttributeValue> leftover : later.values()) {
            try {
                client.deleteItem(d -> d.tableName(tableName).key(leftover));
            } catch (SdkException e) {
                LOG.warn("leftover invitation item of a deleted organization not deleted (TTL will): {}",
                        e.getClass().getSimpleName());
            }
        }
    }

    // ------------------------------------------------------------------ members

    @Override
    public Optional<Member> member(String organizationId, String userId) {
        return get(memberKey(organizationId, userId)).flatMap(DynamoDbOrganizationRepository::toMember);
    }

    @Override
    public MemberPage members(String organizationId, int limit, Optional<String> after) {
        List<Map<String, AttributeValue>> items = queryPartition(organizationId, MEMBER_PREFIX,
                after.map(a -> MEMBER_PREFIX + a), limit + 1, false);
        List<Member> members = new ArrayList<>();
        for (Map<String, AttributeValue> item : items.subList(0, Math.min(limit, items.size()))) {
            toMember(item).ifPresent(members::add);
        }
        Optional<String> next = items.size() > limit
                ? Optional.of(items.get(limit - 1).get(LatchkeyTable.SK).s().substring(MEMBER_PREFIX.length()))
                : Optional.empty();
        return new MemberPage(members, next);
    }

    @Override
    public List<Member> owners(String organizationId) {
        return queryPartition(organizationId, MEMBER_PREFIX, Optional.empty(), Integer.MAX_VALUE, true).stream()
                .map(DynamoDbOrganizationRepository::toMember).flatMap(Optional::stream).toList();
    }

    /**
     * One {@code TransactWriteItems}: {@code Update} of the role conditioned on the role read, a
     * {@code ConditionCheck} that {@code ownerMustRemain} still has role {@code owner}, and the audit event.
     */
    @Override
    public void changeRole(Member member, Role newRole, Optional<String> ownerMustRemain, AuditEvent event) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(memberKey(member.organizationId(), member.userId()))
                .updateExpression("SET #role = :new")
                .conditionExpression("attribute_exists(#pk) AND #role = :old")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#role", "role"))
                .expressionAttributeValues(Map.of(":new", s(newRole.text()), ":old", s(member.role().text()))))
                .build());
        ownerMustRemain.ifPresent(other -> items.add(ownerCheck(member.organizationId(), other)));
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = Transactions.write(client, "member role change", items);
        if (!reasons.isEmpty()) {
            throw memberChangeFailed(member, ownerMustRemain, reasons, items.size() - 1, "member role change");
        }
    }

    /**
     * Reads the organization's version (consistent {@code GetItem}), the user's team memberships
     * ({@code begins_with TEAMMEMBER#<userId>#}) and grants ({@code GRANT#…#<userId>}) with consistent
     * {@code Query}s, then one {@code TransactWriteItems}: {@code Delete} of the membership conditioned on its role,
     * the owner {@code ConditionCheck}, a {@code ConditionCheck} of the organization's version (so a team membership
     * or grant added meanwhile is not left behind: the whole removal starts again, at most
     * {@value #REMOVE_ATTEMPTS} times), a {@code Delete} of each of those items, and the audit event.
     */
    @Override
    public void removeMember(Member member, Optional<String> ownerMustRemain, AuditEvent event) {
        String id = member.organizationId();
        for (int attempt = 1; ; attempt++) {
            Organization organization = find(id).orElseThrow(OrgException::notFound);
            List<Map<String, AttributeValue>> dependents = new ArrayList<>(queryPartition(id,
                    TEAM_MEMBER_PREFIX + member.userId() + "#", Optional.empty(), Integer.MAX_VALUE, false));
            queryPartition(id, GRANT_PREFIX, Optional.empty(), Integer.MAX_VALUE, false).stream()
                    .filter(item -> item.get(LatchkeyTable.SK).s().endsWith("#" + member.userId()))
                    .forEach(dependents::add);
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName)
                    .key(memberKey(id, member.userId()))
                    .conditionExpression("attribute_exists(#pk) AND #role = :old")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#role", "role"))
                    .expressionAttributeValues(Map.of(":old", s(member.role().text())))).build());
            ownerMustRemain.ifPresent(other -> items.add(ownerCheck(id, other)));
            int versionIndex = items.size();
            items.add(TransactWriteItem.builder().conditionCheck(c -> c.tableName(tableName)
                    .key(organizationKey(id))
                    .conditionExpression(versionCondition(organization.version()))
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", VERSION))
                    .expressionAttributeValues(versionValues(organization.version()))).build());
            if (items.size() + dependents.size() + 1 > MAX_TRANSACTION_ITEMS) {
                throw OrgException.conflict("TOO_MANY_DEPENDENTS", "The member has too many team memberships and "
                        + "grants to remove at once; remove some first.");
            }
            for (Map<String, AttributeValue> dependent : dependents) {
                Map<String, AttributeValue> dependentKey = Map.of(LatchkeyTable.PK, dependent.get(LatchkeyTable.PK),
                        LatchkeyTable.SK, dependent.get(LatchkeyTable.SK));
                items.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName).key(dependentKey)).build());
            }
            items.add(auditLog.transactWriteItem(event));
            List<String> reasons = Transactions.write(client, "member removal", items);
            if (reasons.isEmpty()) {
                return;
            }
            boolean versionMoved = Transactions.failedCondition(reasons, versionIndex)
                    && !Transactions.failedCondition(reasons, 0)
                    && (ownerMustRemain.isEmpty() || !Transactions.failedCondition(reasons, 1));
            if (versionMoved && attempt < REMOVE_ATTEMPTS) {
                continue;
            }
            if (versionMoved) {
                throw find(id).isPresent() ? OrgException.concurrentChange() : OrgException.notFound();
            }
            throw memberChangeFailed(member, ownerMustRemain, reasons, items.size() - 1, "member removal");
        }
    }

    private RuntimeException memberChangeFailed(Member member, Optional<String> ownerMustRemain, List<String> reasons,
            int auditIndex, String what) {
        if (Transactions.failedCondition(reasons, 0)) {
            return member(member.organizationId(), member.userId()).isPresent() ? OrgException.concurrentChange()
                    : OrgException.notFound();
        }
        if (ownerMustRemain.isPresent() && Transactions.failedCondition(reasons, 1)) {
            return OrgException.lastOwner();
        }
        return Transactions.cancelled(what, reasons, auditIndex);
    }

    private TransactWriteItem ownerCheck(String organizationId, String userId) {
        return TransactWriteItem.builder().conditionCheck(c -> c.tableName(tableName)
                .key(memberKey(organizationId, userId))
                .conditionExpression("#role = :owner")
                .expressionAttributeNames(Map.of("#role", "role"))
                .expressionAttributeValues(Map.of(":owner", s(Role.OWNER.text())))).build();
    }

    // ------------------------------------------------------------------ invitations

    /**
     * One {@code TransactWriteItems}: {@code Update} of the organization ({@code ADD version :1},
     * {@code attribute_exists}), {@code Put} of the invitation and its token lookup ({@code attribute_not_exists}),
     * {@code Put} of the invitee claim ({@code attribute_not_exists(pk) OR validUntilMs <= :now}), audit event.
     */
    @Override
    public void createInvitation(Invitation invitation, Instant now, AuditEvent event) {
        String id = invitation.organizationId();
        Map<String, AttributeValue> claim = new HashMap<>(inviteeKey(id, invitation.email()));
        claim.put("type", s("INVITEE"));
        claim.put("invitationId", s(invitation.id()));
        claim.put("validUntilMs", n(invitation.expiresAt().toEpochMilli()));
        claim.put(LatchkeyTable.TTL_ATTRIBUTE, n(ttl(invitation.expiresAt())));
        Map<String, AttributeValue> lookup = new HashMap<>(tokenKey(invitation.tokenHash()));
        lookup.put("type", s("INVITATION_TOKEN"));
        lookup.put("orgId", s(id));
        lookup.put("invitationId", s(invitation.id()));
        lookup.put(LatchkeyTable.TTL_ATTRIBUTE, n(ttl(invitation.expiresAt())));
        List<TransactWriteItem> items = List.of(bump(id), putNew(invitationItem(invitation)), putNew(lookup),
                TransactWriteItem.builder().put(p -> p.tableName(tableName).item(claim)
                        .conditionExpression("attribute_not_exists(#pk) OR #until <= :now")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#until", "validUntilMs"))
                        .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli())))).build(),
                auditLog.transactWriteItem(event));
        List<String> reasons = Transactions.write(client, "invitation create", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw OrgException.notFound();
        }
        if (Transactions.failedCondition(reasons, 3)) {
            throw OrgException.conflict(OrgException.ALREADY_INVITED,
                    "An open invitation for this address exists; revoke it first.");
        }
        if (Transactions.failedCondition(reasons, 1) || Transactions.failedCondition(reasons, 2)) {
            throw OrgException.conflict("ALREADY_EXISTS", "An invitation with this id exists.");
        }
        throw Transactions.cancelled("invitation create", reasons, 4);
    }

    @Override
    public Optional<Invitation> invitation(String organizationId, String invitationId) {
        return get(invitationKey(organizationId, invitationId)).map(DynamoDbOrganizationRepository::toInvitation);
    }

    @Override
    public Optional<Invitation> invitationByToken(String tokenHash) {
        return get(tokenKey(tokenHash)).flatMap(lookup -> invitation(lookup.get("orgId").s(),
                lookup.get("invitationId").s()));
    }

    @Override
    public InvitationPage invitations(String organizationId, int limit, Optional<String> after) {
        List<Map<String, AttributeValue>> items = queryPartition(organizationId, INVITATION_PREFIX,
                after.map(a -> INVITATION_PREFIX + a), limit + 1, false);
        List<Invitation> invitations = items.subList(0, Math.min(limit, items.size())).stream()
                .map(DynamoDbOrganizationRepository::toInvitation).toList();
        Optional<String> next = items.size() > limit ? Optional.of(invitations.get(limit - 1).id()) : Optional.empty();
        return new InvitationPage(invitations, next);
    }

    @Override
    public int openInvitations(String organizationId, Instant now) {
        return (int) queryPartition(organizationId, INVITATION_PREFIX, Optional.empty(), Integer.MAX_VALUE, false)
                .stream().map(DynamoDbOrganizationRepository::toInvitation).filter(i -> i.openAt(now)).count();
    }

    /**
     * A consistent {@code GetItem} of the invitee claim, then one {@code TransactWriteItems}: {@code Update} of the
     * invitation to {@code REVOKED} ({@code state = PENDING}), {@code Delete} of the token lookup, {@code Delete} of
     * the claim when it is this invitation's ({@code invitationId = :id}), audit event.
     */
    @Override
    public void revokeInvitation(Invitation invitation, AuditEvent event) {
        String id = invitation.organizationId();
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(u -> u.tableName(tableName)
                .key(invitationKey(id, invitation.id()))
                .updateExpression("SET #state = :revoked, #at = :at")
                .conditionExpression("#state = :pending")
                .expressionAttributeNames(Map.of("#state", "state", "#at", "revokedAt"))
                .expressionAttributeValues(Map.of(":revoked", s(InvitationState.REVOKED.name()), ":pending",
                        s(InvitationState.PENDING.name()), ":at", s(event.occurredAt().toString())))).build());
        items.add(TransactWriteItem.builder().delete(d -> d.tableName(tableName)
                .key(tokenKey(invitation.tokenHash()))).build());
        boolean ownsClaim = get(inviteeKey(id, invitation.email()))
                .map(claim -> claim.get("invitationId").s().equals(invitation.id())).orElse(false);
        if (ownsClaim) {
            items.add(claimDelete(invitation));
        }
        items.add(auditLog.transactWriteItem(event));
        List<String> reasons = Transactions.write(client, "invitation revoke", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || ownsClaim && Transactions.failedCondition(reasons, 2)) {
            throw OrgException.concurrentChange();
        }
        throw Transactions.cancelled("invitation revoke", reasons, items.size() - 1);
    }

    /**
     * One {@code TransactWriteItems}: {@code Delete} of the token lookup ({@code attribute_exists(pk) AND
     * invitationId = :id}: the single use), {@code Update} of the invitation to {@code ACCEPTED}
     * ({@code state = PENDING}), {@code Delete} of the invitee claim (when it is this invitation's), {@code Put} of
     * the membership ({@code attribute_not_exists}), {@code Update} of the organization ({@code ADD version :1},
     * {@code attribute_exists}), audit event. Of two parallel accepts of one token, exactly one commits.
     */
    @Override
    public void acceptInvitation(Invitation invitation, Member member, AuditEvent event) {
        String id = invitation.organizationId();
        List<TransactWriteItem> items = List.of(
                TransactWriteItem.builder().delete(d -> d.tableName(tableName).key(tokenKey(invitation.tokenHash()))
                        .conditionExpression("attribute_exists(#pk) AND #inv = :inv")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#inv", "invitationId"))
                        .expressionAttributeValues(Map.of(":inv", s(invitation.id())))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(tableName).key(invitationKey(id, invitation.id()))
                        .updateExpression("SET #state = :accepted, #by = :by, #at = :at")
                        .conditionExpression("#state = :pending")
                        .expressionAttributeNames(Map.of("#state", "state", "#by", "acceptedBy", "#at", "acceptedAt"))
                        .expressionAttributeValues(Map.of(":accepted", s(InvitationState.ACCEPTED.name()),
                                ":pending", s(InvitationState.PENDING.name()), ":by", s(member.userId()), ":at",
                                s(member.joinedAt().toString())))).build(),
                claimDelete(invitation),
                putNew(memberItem(member)),
                bump(id),
                auditLog.transactWriteItem(event));
        List<String> reasons = Transactions.write(client, "invitation accept", items);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 1)
                || Transactions.failedCondition(reasons, 4)) {
            throw OrgException.invitationNotFound();
        }
        if (Transactions.failedCondition(reasons, 3)) {
            throw OrgException.conflict(OrgException.ALREADY_MEMBER, "You are a member of this organization.");
        }
        if (Transactions.failedCondition(reasons, 2)) {
            throw OrgException.concurrentChange();
        }
        throw Transactions.cancelled("invitation accept", reasons, 5);
    }

    private TransactWriteItem claimDelete(Invitation invitation) {
        return TransactWriteItem.builder().delete(d -> d.tableName(tableName)
                .key(inviteeKey(invitation.organizationId(), invitation.email()))
                .conditionExpression("attribute_not_exists(#pk) OR #inv = :inv")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#inv", "invitationId"))
                .expressionAttributeValues(Map.of(":inv", s(invitation.id())))).build();
    }

    // ------------------------------------------------------------------ helpers

    /** {@code ADD version :1} on the organization, only while it exists. */
    private TransactWriteItem bump(String organizationId) {
        return OrganizationItem.bumpVersion(tableName, organizationId);
    }

    private static String versionCondition(long version) {
        return version == 0 ? "attribute_exists(#pk) AND (attribute_not_exists(#version) OR #version = :seen)"
                : "attribute_exists(#pk) AND #version = :seen";
    }

    private static Map<String, AttributeValue> versionValues(long version) {
        return Map.of(":seen", n(version));
    }

    private TransactWriteItem putNew(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build();
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key) {
        try {
            GetItemResponse response = client.getItem(g -> g.tableName(tableName).key(key).consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
        } catch (SdkException e) {
            throw unavailable("organization read", e);
        }
    }

    /**
     * Consistent {@code Query} of {@code pk = ORG#<orgId>} with {@code begins_with(sk, prefix)}, after an exclusive
     * sort key, paginated until {@code max} items (or the end).
     */
    private List<Map<String, AttributeValue>> queryPartition(String organizationId, String prefix,
            Optional<String> afterSortKey, int max, boolean ownersOnly) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = afterSortKey.map(sk -> key(ORG_PREFIX + organizationId, sk))
                .orElse(null);
        Map<String, String> names = new HashMap<>(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(ORG_PREFIX + organizationId)));
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
        try {
            do {
                QueryRequest.Builder request = QueryRequest.builder().tableName(tableName).consistentRead(true)
                        .keyConditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values).exclusiveStartKey(start);
                if (ownersOnly) {
                    request.filterExpression("#role = :owner");
                } else if (max != Integer.MAX_VALUE) {
                    request.limit(max - items.size());
                }
                QueryResponse page = client.query(request.build());
                items.addAll(page.items());
                start = hasMore(page) && items.size() < max ? page.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw unavailable("organization query", e);
        }
        return items.size() > max ? items.subList(0, max) : items;
    }

    private Map<String, Organization> batchGetOrganizations(List<String> organizationIds) {
        Map<String, Organization> result = new HashMap<>();
        for (int from = 0; from < organizationIds.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = organizationIds.subList(from,
                    Math.min(organizationIds.size(), from + BATCH_GET_LIMIT)).stream()
                    .map(DynamoDbOrganizationRepository::organizationKey).toList();
            Map<String, KeysAndAttributes> request = Map.of(tableName,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int attempt = 1; !request.isEmpty(); attempt++) {
                Map<String, KeysAndAttributes> current = request;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(current));
                response.responses().getOrDefault(tableName, List.of()).forEach(item -> {
                    Organization organization = toOrganization(item);
                    result.put(organization.id(), organization);
                });
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
                if (!request.isEmpty()) {
                    if (attempt == Transactions.MAX_ATTEMPTS) {
                        throw new StoreUnavailableException(new IllegalStateException("unprocessed keys remain"));
                    }
                    Transactions.backOff(attempt);
                }
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ items

    private static Map<String, AttributeValue> organizationItem(Organization organization) {
        Map<String, AttributeValue> item = new HashMap<>(organizationKey(organization.id()));
        item.put("type", s("ORG"));
        item.put("orgId", s(organization.id()));
        item.put("name", s(organization.name()));
        item.put("personal", AttributeValue.fromBool(organization.personal()));
        item.put("createdAt", s(organization.createdAt().toString()));
        item.put("createdBy", s(organization.createdBy()));
        item.put(VERSION, n(organization.version()));
        return item;
    }

    static Map<String, AttributeValue> memberItem(Member member) {
        Map<String, AttributeValue> item = new HashMap<>(memberKey(member.organizationId(), member.userId()));
        item.put(LatchkeyTable.GSI1_PK, s(USER_PREFIX + member.userId()));
        item.put(LatchkeyTable.GSI1_SK, s(ORG_PREFIX + member.organizationId()));
        item.put("type", s("MEMBERSHIP"));
        item.put("orgId", s(member.organizationId()));
        item.put("userId", s(member.userId()));
        item.put("role", s(member.role().text()));
        item.put("createdAt", s(member.joinedAt().toString()));
        return item;
    }

    private static Map<String, AttributeValue> invitationItem(Invitation invitation) {
        Map<String, AttributeValue> item = new HashMap<>(invitationKey(invitation.organizationId(), invitation.id()));
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

    private static Organization toOrganization(Map<String, AttributeValue> item) {
        return new Organization(item.get("orgId").s(), item.get("name").s(),
                Optional.ofNullable(item.get("personal")).map(AttributeValue::bool).orElse(false),
                Instant.parse(item.get("createdAt").s()), item.get("createdBy").s(),
                Optional.ofNullable(item.get(VERSION)).map(v -> Long.parseLong(v.n())).orElse(0L));
    }

    /** A membership; empty (and a warning without ids) for a role text that is no {@link Role}. */
    private static Optional<Member> toMember(Map<String, AttributeValue> item) {
        Optional<Role> role = Optional.ofNullable(item.get("role")).map(AttributeValue::s).flatMap(Role::parse);
        if (role.isEmpty()) {
            LOG.warn("membership item with an unknown role: skipped");
            return Optional.empty();
        }
        return Optional.of(new Member(item.get("orgId").s(), item.get("userId").s(), role.get(),
                Instant.parse(item.get("createdAt").s())));
    }

    private static Invitation toInvitation(Map<String, AttributeValue> item) {
        return new Invitation(item.get("invitationId").s(), item.get("orgId").s(), item.get("email").s(),
                Role.parse(item.get("role").s()).orElseThrow(), InvitationState.valueOf(item.get("state").s()),
                item.get("invitedBy").s(), Instant.parse(item.get("createdAt").s()),
                Instant.parse(item.get("validUntil").s()), item.get("tokenHash").s());
    }

    /** The TTL in epoch seconds, rounded up so the item never goes before its validity ends. */
    private static long ttl(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() > 0 ? 1 : 0);
    }

    private static boolean hasMore(QueryResponse response) {
        return response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static StoreUnavailableException unavailable(String what, SdkException e) {
        LOG.warn("{} failed: {}", what, e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
