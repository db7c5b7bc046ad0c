package dev.latchkey.infrastructure.vault;

import dev.latchkey.core.vault.Peppers;
import dev.latchkey.core.store.StoreUnavailableException;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

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
    static final String PARTITION = "SECRET";
    static final String SORT_PREFIX = "PEPPER#";
    static final String PURPOSE = "pepper";
    private static final int BYTES = 32;
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");

    private final DynamoDbClient client;
    private final String tableName;
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
        this.client = client;
        this.tableName = tableName;
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
            try {
                client.putItem(p -> p.tableName(tableName)
                        .item(Map.of(LatchkeyTable.PK, AttributeValue.fromS(PARTITION),
                                LatchkeyTable.SK, AttributeValue.fromS(SORT_PREFIX + name),
                                "sealed", AttributeValue.fromS(sealed.encoded()),
                                "createdAt", AttributeValue.fromS(clock.instant().toString())))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)));
                LOG.info("created pepper {}", name);
            } catch (ConditionalCheckFailedException e) {
                LOG.info("pepper {} was created concurrently; using that one", name);
            } catch (SdkException e) {
                throw unavailable(e);
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
        try {
            var response = client.getItem(g -> g.tableName(tableName).consistentRead(true)
                    .key(Map.of(LatchkeyTable.PK, AttributeValue.fromS(PARTITION),
                            LatchkeyTable.SK, AttributeValue.fromS(SORT_PREFIX + name))));
            return response.hasItem() && response.item().containsKey("sealed")
                    ? Optional.of(SealedSecret.decode(response.item().get("sealed").s())) : Optional.empty();
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private static StoreUnavailableException unavailable(SdkException e) {
        LOG.warn("pepper read/write failed: {}", e.getClass().getSimpleName());
        return new StoreUnavailableException(e);
    }
}
