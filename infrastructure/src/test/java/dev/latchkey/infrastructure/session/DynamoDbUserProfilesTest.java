package dev.latchkey.infrastructure.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.session.UserProfile;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.testing.EmulatedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@link DynamoDbUserProfiles} on the emulated table: one profile, and many in batches of 100. */
class DynamoDbUserProfilesTest {

    private static EmulatedTable table;

    @BeforeAll
    static void start() {
        table = EmulatedTable.start();
    }

    @AfterAll
    static void stop() {
        table.close();
    }

    private static String user(int i) {
        return String.format("usr_01JD40000000000000000%05d", i);
    }

    private static void profile(String userId, String name) {
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(Map.of(
                LatchkeyTable.PK, AttributeValue.fromS("USER#" + userId),
                LatchkeyTable.SK, AttributeValue.fromS("PROFILE"),
                "email", AttributeValue.fromS(userId + "@example.com"),
                "name", AttributeValue.fromS(name))));
    }

    @Test
    void findAllWhenMoreThanOneBatchThenEveryProfileOnceAndMissingOnesLeftOut() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            ids.add(user(i));
            profile(user(i), "Person " + i);
        }
        ids.add(user(99_999));
        ids.add(user(7));
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        var profiles = new DynamoDbUserProfiles(table.countingClient(requests), EmulatedTable.TABLE);

        Map<String, UserProfile> found = profiles.findAll(ids);

        assertThat(found).hasSize(130).doesNotContainKey(user(99_999));
        assertThat(found.get(user(42))).isEqualTo(new UserProfile(user(42), user(42) + "@example.com", "Person 42"));
        assertThat(requests.get("BatchGetItem")).as("131 distinct keys, 100 per request").hasValue(2);
        assertThat(profiles.find(user(3))).contains(new UserProfile(user(3), user(3) + "@example.com", "Person 3"));
        assertThat(profiles.findAll(List.of())).isEmpty();
    }
}
