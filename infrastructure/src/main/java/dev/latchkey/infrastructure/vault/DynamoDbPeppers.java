package dev.latchkey.infrastructure.vault;

import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.Peppers;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.Keys;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Peppers in the single table: {@code pk = SECRET}, {@code sk = PEPPER#<name>}, attribute
 * {@code sealed} = 32 random bytes sealed by the key vault with
 * {@code EncryptionContext("pepper", <name>)}. The first container to need one creates it with a
 * conditional {@code PutItem} ({@code attribute_not_exists(pk)}); a container that loses that race
 * reads and opens the winner's, so every container agrees. Opened once per container and name, then
 * kept in memory (a strongly consistent {@code GetItem} and one vault open per cold start).
 */
public final class DynamoDbPeppers implements Peppers {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbPeppers.class);
    static final String PURPOSE = "pepper";
    private static final String WHAT = "pepper read/write";
    private static final int BYTES = 32;
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");

    private final SingleTable table;
    private final KeyVault vault;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, byte[]> opened = new ConcurrentHashMap<>();

    /**
     * @param client the DynamoDB client
     * @param tableName the single table
     * @param vault seals and opens peppers
     * @param random makes new peppers
     * @param clock {@code createdAt} of a new pepper
     */
    public DynamoDbPeppers(DynamoDbClient client, String tableName, KeyVault vault, SecureRandom random,
            Clock clock) {
        this.table = new SingleTable(client, tableName);
        this.vault = vault;
        this.random = random;
        this.clock = clock;
    }

    @Override
    public byte[] pepper(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("pepper names match " + NAME.pattern());
        }
        return opened.computeIfAbsent(name, this::load).clone();
    }

    private byte[] load(String name) {
        EncryptionContext context = new EncryptionContext(PURPOSE, name);
        Optional<SealedSecret> stored = read(name);
        if (stored.isEmpty()) {
            byte[] fresh = new byte[BYTES];
            random.nextBytes(fresh);
            SealedSecret sealed = vault.seal(fresh, context);
            Arrays.fill(fresh, (byte) 0);
            Map<String, AttributeValue> item = new HashMap<>(Keys.pepper(name));
            item.put("sealed", AttributeValue.fromS(sealed.encoded()));
            item.put("createdAt", AttributeValue.fromS(clock.instant().toString()));
            boolean created = table.conditional(WHAT, () -> table.client().putItem(p -> p.tableName(table.name())
                    .item(item)
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
            if (created) {
                LOG.info("created pepper {}", name);
            } else {
                LOG.info("pepper {} was created concurrently; using that one", name);
            }
            // Whoever won the race, the stored pepper is the one everybody uses.
            stored = read(name);
        }
        byte[] pepper = vault.open(stored.orElseThrow(() -> new IllegalStateException("pepper vanished")), context);
        if (pepper.length != BYTES) {
            throw new IllegalStateException("pepper " + name + " has the wrong length");
        }
        return pepper;
    }

    private Optional<SealedSecret> read(String name) {
        return table.get(WHAT, Keys.pepper(name)).filter(item -> item.containsKey("sealed"))
                .map(item -> SealedSecret.decode(item.get("sealed").s()));
    }
}
