package dev.latchkey.infrastructure.admin;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.RegisterUserCommand;
import dev.latchkey.core.account.User;
import dev.latchkey.core.admin.BootstrapDeployment;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.account.PhcPasswordHasher;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.dynamodb.SingleTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code latchkey import}: reads the JSON Lines of {@link TableExport} — or user lines written by another system —
 * line by line and writes what is missing.
 *
 * <p><b>Idempotent.</b> Every write is "only if absent": a user whose id exists, an item whose key exists, is
 * counted as existing and left as it is, so running an import twice, or after a partial run, changes nothing the
 * first run wrote, and never undoes a change made since (a key revoked after the export stays revoked).
 *
 * <p><b>Users.</b> {@code email} is required; {@code password_hash} is optional (a passkey-only account) and must be
 * a PHC string {@link PhcPasswordHasher} verifies — Argon2id as is, bcrypt ({@code $2a$}, {@code $2b$},
 * {@code $2y$}), scrypt and PBKDF2 verified at the next login and then rehashed to Argon2id. A line with a
 * {@code personal_organization_id} (a Latchkey export) writes the profile and email claim; its organization comes
 * as its own item lines. A line without one (another system) gets a new id when it has none and a personal
 * organization, as registration makes it ({@code account.imported}, actor {@code system:admin-cli}).
 *
 * <p><b>Problems.</b> A line that is not JSON, of an unknown type or kind, or whose fields do not validate is
 * reported with its number and skipped; the rest goes on. A user whose address another account holds is reported
 * and skipped too.
 */
public final class TableImport {

    /** The audit action of a user created from another system's line. */
    public static final String IMPORTED = "account.imported";
    /** Longest line read; longer lines are reported and skipped. */
    public static final int MAX_LINE = 1024 * 1024;

    private final SingleTable table;
    private final DynamoDbUserRepository users;
    private final IdGenerator ids;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param client the DynamoDB client
     * @param tableName the table
     * @param users the accounts
     * @param ids ids for users from other systems
     * @param clock the time source
     */
    public TableImport(DynamoDbClient client, String tableName, DynamoDbUserRepository users, IdGenerator ids,
            Clock clock) {
        this.table = new SingleTable(client, tableName);
        this.users = Objects.requireNonNull(users, "users");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Receives progress and problems while an import runs. */
    public interface Listener {

        /** A line was handled (written, existing or skipped). */
        void line(int number);

        /** A line was skipped; the message names no secret and no address. */
        void problem(int number, String message);
    }

    /**
     * What an import did, per record type ({@code user} or an item kind).
     *
     * @param created written (or, in a dry run, would be)
     * @param existing already there, left alone
     * @param skipped lines reported and skipped
     * @param dryRun whether nothing was written
     */
    public record Summary(Map<String, Integer> created, Map<String, Integer> existing, int skipped, boolean dryRun) {
    }

    /**
     * Imports every line.
     *
     * @param in the lines (not closed)
     * @param dryRun validate and count only: nothing is written
     * @param listener progress and problems
     * @throws UncheckedIOException when reading fails
     * @throws dev.latchkey.core.store.StoreUnavailableException when the table fails (the import stops; run it
     *     again: what was written stays, the rest follows)
     */
    public Summary importLines(BufferedReader in, boolean dryRun, Listener listener) {
        Map<String, Integer> created = new TreeMap<>();
        Map<String, Integer> existing = new TreeMap<>();
        int skipped = 0;
        int number = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (!line.isBlank()) {
                    try {
                        Result result = importLine(line, dryRun);
                        if (result.created()) {
                            created.merge(result.type(), 1, Integer::sum);
                        } else if (result.type() != null) {
                            existing.merge(result.type(), 1, Integer::sum);
                        }
                    } catch (LineException e) {
                        skipped++;
                        listener.problem(number, e.getMessage());
                    }
                }
                listener.line(number);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Summary(created, existing, skipped, dryRun);
    }

    /** A line's outcome: its type ({@code null} for the header) and whether it was (or would be) written. */
    private record Result(String type, boolean created) {
    }

    /** A line that is skipped, with why. */
    private static final class LineException extends Exception {

        private static final long serialVersionUID = 1L;

        LineException(String message) {
            super(message, null, false, false);
        }
    }

    private Result importLine(String line, boolean dryRun) throws LineException {
        if (line.length() > MAX_LINE) {
            throw new LineException("line longer than " + MAX_LINE + " characters");
        }
        Map<?, ?> record;
        try {
            record = json.readValue(line, Map.class);
        } catch (JacksonException e) {
            throw new LineException("not a JSON object");
        }
        Object type = record.get("type");
        if ("latchkey-export".equals(type)) {
            if (!Integer.valueOf(TableExport.VERSION).equals(record.get("version"))) {
                throw new LineException("unsupported export version");
            }
            return new Result(null, false);
        }
        if ("user".equals(type)) {
            return importUser(record, dryRun);
        }
        if ("item".equals(type)) {
            return importItem(record, dryRun);
        }
        throw new LineException("unknown type (expected user or item)");
    }

    private Result importUser(Map<?, ?> record, boolean dryRun) throws LineException {
        EmailAddress email;
        String name;
        try {
            email = EmailAddress.parse(text(record, "email").orElseThrow(() -> new LineException("email missing")));
            name = RegisterUserCommand.normalizeName(text(record, "name")
                    .orElseGet(() -> email.display().substring(0, email.display().indexOf('@'))));
        } catch (AccountException e) {
            throw new LineException("invalid email or name");
        }
        String hash = text(record, "password_hash").orElse("");
        if (!hash.isEmpty() && !PhcPasswordHasher.recognizes(hash)) {
            throw new LineException("password_hash is not a supported PHC string (argon2id, bcrypt, scrypt, pbkdf2) "
                    + "or has parameters out of bounds");
        }
        Optional<String> id = text(record, "id");
        if (id.isPresent() && !id.get().matches("usr_[0-9A-Za-z]{1,64}")) {
            throw new LineException("id is not a usr_ id");
        }
        Optional<String> organizationId = text(record, "personal_organization_id");
        if (organizationId.isPresent() && !organizationId.get().matches("org_[0-9A-Za-z]{1,64}")) {
            throw new LineException("personal_organization_id is not an org_ id");
        }
        boolean verified = Boolean.TRUE.equals(record.get("email_verified"));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant createdAt;
        try {
            createdAt = text(record, "created_at").map(Instant::parse).orElse(now);
        } catch (DateTimeParseException e) {
            throw new LineException("created_at is not an ISO-8601 instant");
        }
        if (id.isPresent() && users.findById(id.get()).isPresent()) {
            return new Result("user", false);
        }
        Optional<User> holder = users.findByEmail(email.canonical());
        if (holder.isPresent()) {
            if (id.isEmpty()) {
                return new Result("user", false); // another system's user imported before: same address
            }
            throw new LineException("the email address belongs to another account (" + holder.get().id() + ")");
        }
        if (dryRun) {
            return new Result("user", true);
        }
        String userId = id.orElseGet(() -> ids.next(IdPrefix.USER));
        if (organizationId.isPresent()) {
            User user = new User(userId, email, name, hash, verified, createdAt, organizationId.get());
            return switch (users.importUser(user)) {
                case CREATED -> new Result("user", true);
                case EXISTS -> new Result("user", false);
                case EMAIL_TAKEN -> throw new LineException("the email address belongs to another account");
            };
        }
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, email, name, hash, verified, createdAt, orgId);
        AuditEvent event = AuditEvent.builder(ids, clock).occurredAt(now).organizationId(orgId)
                .actor(BootstrapDeployment.OPERATOR).action(IMPORTED).target("user", userId)
                .requestId("admin-cli-import").build();
        try {
            users.create(new NewAccount(user, new PersonalOrganization(orgId, PersonalOrganization.defaultName(name),
                    createdAt, userId), event));
        } catch (AccountException e) {
            throw new LineException("the email address belongs to another account");
        }
        return new Result("user", true);
    }

    private Result importItem(Map<?, ?> record, boolean dryRun) throws LineException {
        ItemKind kind = text(record, "kind").flatMap(ItemKind::ofCode)
                .orElseThrow(() -> new LineException("unknown item kind"));
        Map<String, AttributeValue> item;
        try {
            item = AttributeJson.fromJson(record.get("item"));
        } catch (IllegalArgumentException e) {
            throw new LineException("item is not in DynamoDB's JSON shape");
        }
        AttributeValue pk = item.get(LatchkeyTable.PK);
        AttributeValue sk = item.get(LatchkeyTable.SK);
        if (pk == null || sk == null || pk.s() == null || sk.s() == null
                || !ItemKind.of(pk.s(), sk.s()).equals(Optional.of(kind))) {
            throw new LineException("item key does not match its kind " + kind.code());
        }
        if (dryRun) {
            boolean present = table.get("import check", Map.of(LatchkeyTable.PK, pk, LatchkeyTable.SK, sk))
                    .isPresent();
            return new Result(kind.code(), !present);
        }
        boolean written = table.conditional("import", () -> table.client().putItem(b -> b.tableName(table.name())
                .item(item).conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", LatchkeyTable.PK)))).isPresent();
        return new Result(kind.code(), written);
    }

    private static Optional<String> text(Map<?, ?> record, String field) throws LineException {
        Object value = record.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            throw new LineException(field + " is not a string");
        }
        return Optional.of(s);
    }
}
