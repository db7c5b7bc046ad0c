package dev.latchkey.infrastructure.team;

import dev.latchkey.core.team.TeamMemberships;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.Queries;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Teams and team memberships in the single table (docs/data-model.md).
 *
 * <p><b>Items.</b> Team member {@code ORG#<orgId>}/{@code TEAMMEMBER#<userId>#<teamId>}, {@code gsi1pk =
 * TEAM#<teamId>}, {@code gsi1sk = MEMBER#<userId>}: {@code teamId, userId, orgId, addedAt, addedBy}.
 *
 * <p><b>Requests.</b> {@link #teamIds}: one consistent {@code Query} ({@code begins_with(sk,
 * TEAMMEMBER#<userId>#)}), projecting {@code teamId}.
 */
public final class DynamoDbTeamRepository implements TeamMemberships {

    static final String ORG_PREFIX = "ORG#";
    static final String TEAM_MEMBER_PREFIX = "TEAMMEMBER#";
    static final String TEAM_ID = "teamId";

    private final DynamoDbClient client;
    private final String tableName;

    /**
     * @param client the DynamoDB client (built once per container)
     * @param tableName the single table
     */
    public DynamoDbTeamRepository(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Set<String> teamIds(String organizationId, String userId) {
        return Queries.all(client, "team membership read", q -> q.tableName(tableName)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .projectionExpression("#teamId")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK, "#teamId",
                        TEAM_ID))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ORG_PREFIX + organizationId),
                        ":prefix", AttributeValue.fromS(TEAM_MEMBER_PREFIX + userId + "#")))
                .consistentRead(true))
                .stream().map(item -> item.get(TEAM_ID).s()).collect(Collectors.toUnmodifiableSet());
    }
}
