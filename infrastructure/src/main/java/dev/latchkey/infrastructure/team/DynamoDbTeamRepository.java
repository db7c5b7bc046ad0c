package dev.latchkey.infrastructure.team;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.team.Team;
import dev.latchkey.core.team.TeamException;
import dev.latchkey.core.team.TeamMember;
import dev.latchkey.core.team.TeamRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.OrganizationItem;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import dev.latchkey.infrastructure.dynamodb.Transactions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Teams and team memberships in the single table (docs/data-model.md).
 *
 * <p><b>Items.</b> Team {@code ORG#<orgId>}/{@code TEAM#<teamId>}: {@code teamId, orgId, name, createdAt,
 * createdBy, version} (N, bumped by a rename, by adding or removing a member and by a grant to the team). Name
 * claim {@code ORG#<orgId>}/{@code TEAMNAME#<name lower-cased>}: {@code teamId}, keeps names unique in the
 * organization. Team member {@code ORG#<orgId>}/{@code TEAMMEMBER#<userId>#<teamId>}, {@code gsi1pk =
 * TEAM#<teamId>}, {@code gsi1sk = MEMBER#<userId>}: {@code teamId, userId, orgId, addedAt, addedBy}.
 *
 * <p><b>Requests.</b> {@link #teamIds}: one consistent {@code Query} ({@code begins_with(sk,
 * TEAMMEMBER#<userId>#)}). {@link #find}: one consistent {@code GetItem}; {@link #list}: consistent {@code Query}
 * ({@code begins_with(sk, TEAM#)}); {@link #members}: {@code Query} on {@code gsi1} (eventually consistent: a
 * member added a moment ago may be missing for about a second). Changes: one {@code TransactWriteItems} each,
 * with the audit event; adding a member checks the membership item {@code ORG#<orgId>}/{@code MEMBER#<userId>}
 * in the same transaction and bumps the organization's {@code version}. {@link #delete}: two consistent
 * {@code Query}s of the organization's partition (its member items, its grants; filtered by team id) and one
 * transaction deleting the team, its name claim, those items and writing the audit event, conditioned on the
 * team's {@code version} — so a member added or a grant given meanwhile makes it fail with 409 instead of
 * leaving an orphan.
 */
public final class DynamoDbTeamRepository implements TeamRepository {

    static final String TEAM_ID = "teamId";
    static final String USER_ID = "userId";
    static final String ORG_ID = "orgId";
    static final String NAME = "name";
    static final String VERSION = "version";

    private final SingleTable table;
    private final DynamoDbAuditLog auditLog;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     * @param auditLog builds the audit event's transaction item
     */
    public DynamoDbTeamRepository(DynamoDbClient client, String tableName, DynamoDbAuditLog auditLog) {
        this.table = new SingleTable(client, tableName);
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    @Override
    public Set<String> teamIds(String organizationId, String userId) {
        return query(organizationId, Keys.teamMembersOf(userId), "team membership read").stream()
                .map(item -> item.get(TEAM_ID).s()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void create(Team team, AuditEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(teamKey(team.organizationId(), team.teamId()));
        item.put("type", s("TEAM"));
        item.put(TEAM_ID, s(team.teamId()));
        item.put(ORG_ID, s(team.organizationId()));
        item.put(NAME, s(team.name()));
        item.put("createdAt", s(team.createdAt().toString()));
        item.put("createdBy", s(team.createdBy()));
        item.put(VERSION, n(team.version()));
        List<String> reasons = table.transactWrite("team create", List.of(table.putNew(item),
                table.putNew(nameClaim(team.organizationId(), team.name(), team.teamId())),
                OrganizationItem.bumpVersion(table.name(), team.organizationId()), auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw nameTaken();
        }
        if (Transactions.failedCondition(reasons, 0) || Transactions.failedCondition(reasons, 2)) {
            throw concurrent();
        }
        throw Transactions.cancelled("team create", reasons, 3);
    }

    @Override
    public Optional<Team> find(String organizationId, String teamId) {
        return table.get("team read", teamKey(organizationId, teamId)).map(DynamoDbTeamRepository::toTeam);
    }

    @Override
    public List<Team> list(String organizationId) {
        return query(organizationId, Keys.TEAM, "team list").stream().map(DynamoDbTeamRepository::toTeam).toList();
    }

    @Override
    public List<TeamMember> members(String organizationId, String teamId) {
        return table.queryAll("team member list", q -> q.indexName(LatchkeyTable.GSI1)
                .keyConditionExpression("#gpk = :gpk AND begins_with(#gsk, :prefix)")
                .expressionAttributeNames(Map.of("#gpk", LatchkeyTable.GSI1_PK, "#gsk", LatchkeyTable.GSI1_SK))
                .expressionAttributeValues(Map.of(":gpk", s(Keys.teamSk(teamId)), ":prefix", s(Keys.MEMBER))))
                .stream().filter(item -> organizationId.equals(item.get(ORG_ID).s()))
                .map(DynamoDbTeamRepository::toMember).toList();
    }

    @Override
    public void rename(Team before, String newName, AuditEvent event) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(teamKey(before.organizationId(), before.teamId()))
                .updateExpression("SET #name = :name, #version = #version + :one")
                .conditionExpression("#version = :seen")
                .expressionAttributeNames(Map.of("#name", NAME, "#version", VERSION))
                .expressionAttributeValues(Map.of(":name", s(newName), ":one", n(1), ":seen",
                        n(before.version())))).build());
        boolean claimMoves = !TeamException.nameKey(newName).equals(TeamException.nameKey(before.name()));
        if (claimMoves) {
            writes.add(table.delete(nameKey(before.organizationId(), before.name())));
            writes.add(table.putNew(nameClaim(before.organizationId(), newName, before.teamId())));
        }
        writes.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("team rename", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (claimMoves && Transactions.failedCondition(reasons, 2)) {
            throw nameTaken();
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw concurrent();
        }
        throw Transactions.cancelled("team rename", reasons, writes.size() - 1);
    }

    @Override
    public void delete(Team team, AuditEvent event) {
        String org = team.organizationId();
        List<Map<String, AttributeValue>> members = query(org, Keys.TEAM_MEMBER, "team delete read").stream()
                .filter(item -> team.teamId().equals(item.get(TEAM_ID).s())).toList();
        List<Map<String, AttributeValue>> grants = query(org, Keys.GRANT, "team delete read")
                .stream().filter(item -> team.teamId().equals(item.get(LatchkeyTable.GRANTEE_ID).s())).toList();
        if (members.size() + grants.size() > MAX_ITEMS_ON_DELETE) {
            throw TeamException.conflict("TEAM_TOO_LARGE", "A team with more than " + MAX_ITEMS_ON_DELETE
                    + " members and grants is deleted after removing some of them.");
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().delete(d -> d.tableName(table.name()).key(teamKey(org, team.teamId()))
                .conditionExpression("#version = :seen")
                .expressionAttributeNames(Map.of("#version", VERSION))
                .expressionAttributeValues(Map.of(":seen", n(team.version())))).build());
        writes.add(table.delete(nameKey(org, team.name())));
        for (Map<String, AttributeValue> item : members) {
            writes.add(table.delete(Keys.keyOf(item)));
        }
        for (Map<String, AttributeValue> item : grants) {
            writes.add(table.delete(Keys.keyOf(item)));
        }
        writes.add(auditLog.transactWriteItem(event));
        List<String> reasons = table.transactWrite("team delete", writes);
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw concurrent();
        }
        throw Transactions.cancelled("team delete", reasons, writes.size() - 1);
    }

    @Override
    public TeamMember addMember(Team team, TeamMember member, AuditEvent event) {
        String org = team.organizationId();
        Map<String, AttributeValue> item = new HashMap<>(memberKey(org, member.teamId(), member.userId()));
        item.put("type", s("TEAMMEMBER"));
        item.put(LatchkeyTable.GSI1_PK, s(Keys.teamSk(member.teamId())));
        item.put(LatchkeyTable.GSI1_SK, s(Keys.memberSk(member.userId())));
        item.put(TEAM_ID, s(member.teamId()));
        item.put(USER_ID, s(member.userId()));
        item.put(ORG_ID, s(org));
        item.put("addedAt", s(member.addedAt().toString()));
        item.put("addedBy", s(member.addedBy()));
        List<String> reasons = table.transactWrite("team member add", List.of(bumpTeam(team),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table.name())
                        .key(Keys.membership(org, member.userId()))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build(),
                table.putNew(item), OrganizationItem.bumpVersion(table.name(), org),
                auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return member;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw TeamException.notFound();
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw TeamException.notAnOrganizationMember();
        }
        if (Transactions.failedCondition(reasons, 2)) {
            return storedMember(org, member.teamId(), member.userId()).orElseThrow(this::concurrent);
        }
        if (Transactions.failedCondition(reasons, 3)) {
            throw concurrent();
        }
        throw Transactions.cancelled("team member add", reasons, 4);
    }

    @Override
    public void removeMember(Team team, String userId, AuditEvent event) {
        List<String> reasons = table.transactWrite("team member remove", List.of(bumpTeam(team),
                TransactWriteItem.builder().delete(d -> d.tableName(table.name())
                        .key(memberKey(team.organizationId(), team.teamId(), userId))
                        .conditionExpression("attribute_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK))).build(),
                auditLog.transactWriteItem(event)));
        if (reasons.isEmpty()) {
            return;
        }
        if (Transactions.failedCondition(reasons, 0)) {
            throw TeamException.notFound();
        }
        if (Transactions.failedCondition(reasons, 1)) {
            throw TeamException.notATeamMember();
        }
        throw Transactions.cancelled("team member remove", reasons, 2);
    }

    private Optional<TeamMember> storedMember(String organizationId, String teamId, String userId) {
        return table.get("team member read", memberKey(organizationId, teamId, userId))
                .map(DynamoDbTeamRepository::toMember);
    }

    private TransactWriteItem bumpTeam(Team team) {
        return TransactWriteItem.builder().update(u -> u.tableName(table.name())
                .key(teamKey(team.organizationId(), team.teamId()))
                .updateExpression("ADD #version :one")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#version", VERSION))
                .expressionAttributeValues(Map.of(":one", n(1)))).build();
    }

    private List<Map<String, AttributeValue>> query(String organizationId, String prefix, String what) {
        return table.queryAll(what, q -> q
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":pk", s(Keys.organizationPk(organizationId)), ":prefix", s(prefix)))
                .consistentRead(true));
    }

    private Map<String, AttributeValue> nameClaim(String organizationId, String name, String teamId) {
        Map<String, AttributeValue> item = new HashMap<>(nameKey(organizationId, name));
        item.put("type", s("TEAMNAME"));
        item.put(TEAM_ID, s(teamId));
        return item;
    }

    private static Map<String, AttributeValue> teamKey(String organizationId, String teamId) {
        return Keys.team(organizationId, teamId);
    }

    private static Map<String, AttributeValue> nameKey(String organizationId, String name) {
        return Keys.teamName(organizationId, TeamException.nameKey(name));
    }

    private static Map<String, AttributeValue> memberKey(String organizationId, String teamId, String userId) {
        return Keys.teamMember(organizationId, userId, teamId);
    }

    private static Team toTeam(Map<String, AttributeValue> item) {
        return new Team(item.get(TEAM_ID).s(), item.get(ORG_ID).s(), item.get(NAME).s(),
                Instant.parse(item.get("createdAt").s()), item.get("createdBy").s(),
                Long.parseLong(item.get(VERSION).n()));
    }

    private static TeamMember toMember(Map<String, AttributeValue> item) {
        return new TeamMember(item.get(ORG_ID).s(), item.get(TEAM_ID).s(), item.get(USER_ID).s(),
                Instant.parse(item.get("addedAt").s()), item.get("addedBy").s());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static TeamException nameTaken() {
        return TeamException.conflict("NAME_TAKEN", "The organization has a team of this name.");
    }

    private TeamException concurrent() {
        return TeamException.conflict("CONCURRENT_CHANGE", "The team changed meanwhile; retry.");
    }
}
