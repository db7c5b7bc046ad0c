package dev.latchkey.infrastructure.admin;

import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code latchkey export}: the deployment as JSON Lines, streamed (one scan page in memory at a time).
 *
 * <p>The first line is a header ({@code {"type":"latchkey-export","version":1,…}}). Then every user, one line each
 * ({@code {"type":"user","id":…,"email":…,"name":…,"email_verified":…,"password_hash":"$argon2id$…",
 * "created_at":…,"personal_organization_id":…}}, the hash as its PHC string, no hash for a passkey-only account);
 * then every other item that is moved ({@link ItemKind}) as it is stored:
 * {@code {"type":"item","kind":"api_key","item":{"pk":{"S":"…"},"sk":{"S":"…"},…}}}. Users come first so that an
 * import in file order writes each user before the organizations, passkeys and keys that name it.
 *
 * <p>What the file holds is what the table holds: password hashes, API-key and client-secret hashes, and the
 * peppers sealed under the deployment's key vault (so keys verify after an import into a table of the same vault).
 * Treat the file as a secret.
 */
public final class TableExport {

    /** The format version of the header line. */
    public static final int VERSION = 1;

    private final DynamoDbDeploymentInventory inventory;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param inventory the table's scans
     * @param clock for the header's time
     */
    public TableExport(DynamoDbDeploymentInventory inventory, Clock clock) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What was written: users and items by kind.
     *
     * @param users user lines
     * @param items item lines by kind code
     */
    public record Summary(int users, Map<String, Integer> items) {

        /** Every line but the header. */
        public int total() {
            return users + items.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * Writes the export.
     *
     * @param out where the lines go (not closed)
     * @param progress told the number of lines written so far after each line
     * @throws UncheckedIOException when writing fails
     * @throws dev.latchkey.core.store.StoreUnavailableException when the table cannot be read
     */
    public Summary export(Writer out, IntConsumer progress) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("type", "latchkey-export");
        header.put("version", VERSION);
        header.put("exported_at", clock.instant().toString());
        write(out, header);
        int[] users = {0};
        Map<String, Integer> items = new TreeMap<>();
        inventory.scan(b -> b.filterExpression("begins_with(#pk, :user) AND #sk = :profile")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK, "#sk", LatchkeyTable.SK))
                .expressionAttributeValues(Map.of(":user", AttributeValue.fromS(Keys.USER),
                        ":profile", AttributeValue.fromS(Keys.PROFILE_SK))), item -> {
                            write(out, userLine(item));
                            users[0]++;
                            progress.accept(users[0]);
                        }, false);
        inventory.scan(b -> { }, item -> {
            Optional<ItemKind> kind = ItemKind.of(item.get(LatchkeyTable.PK).s(), item.get(LatchkeyTable.SK).s());
            if (kind.isPresent()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("type", "item");
                line.put("kind", kind.get().code());
                line.put("item", AttributeJson.toJson(item));
                write(out, line);
                items.merge(kind.get().code(), 1, Integer::sum);
                progress.accept(users[0] + items.values().stream().mapToInt(Integer::intValue).sum());
            }
        }, false);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Summary(users[0], items);
    }

    private static Map<String, Object> userLine(Map<String, AttributeValue> item) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", "user");
        line.put("id", item.get("userId").s());
        line.put("email", item.get("email").s());
        line.put("name", item.get("name").s());
        line.put("email_verified", Boolean.TRUE.equals(item.get("emailVerified").bool()));
        if (item.containsKey("passwordHash")) {
            line.put("password_hash", item.get("passwordHash").s());
        }
        line.put("created_at", item.get("createdAt").s());
        line.put("personal_organization_id", item.get("personalOrgId").s());
        return line;
    }

    private void write(Writer out, Map<String, Object> line) {
        try {
            out.write(json.writeValueAsString(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
