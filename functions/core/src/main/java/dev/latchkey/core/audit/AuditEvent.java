package dev.latchkey.core.audit;

import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of the append-only audit log: who ({@link #actor}) did what ({@link #action}) to what
 * ({@link #target}), when, from where, with which outcome (OWASP ASVS 5.0 §16.2.1, §16.3).
 *
 * <p><b>No secrets, no email addresses.</b> Every field is an id, a code or a bounded, validated
 * string: actor and target ids cannot hold {@code @}; {@link AuditDetails} refuses keys named like
 * secrets and values shaped like an email address or a credential. Name a user by user id.
 *
 * <p>{@link #occurredAt} is kept to the millisecond (truncated) and must fall in the years
 * 1970–9999, so that {@link #orderKey()} has a fixed width and sorts like time.
 *
 * @param eventId {@code evt_…}, from {@link IdGenerator#next(IdPrefix) ids.next(IdPrefix.EVENT)}
 * @param organizationId the tenant the event belongs to ({@code org_…}); empty when there is none,
 *     for example a failed login for an email no account has. Such events are stored apart from
 *     every tenant and read only through {@link AuditLog#findWithoutOrganization}.
 * @param actor who caused it
 * @param action a stable dotted code, {@value #ACTION_PATTERN} without empty segments, such as
 *     {@code auth.login.succeeded}; never renamed once written
 * @param target what it acted on, if anything
 * @param occurredAt when
 * @param sourceIp the caller's address as API Gateway saw it ({@code sourceIp}); empty for scheduled work
 * @param requestId the request (or invocation) id, to join the event with the request log line
 * @param outcome success or failure
 * @param details bounded extra context, see {@link AuditDetails}
 */
public record AuditEvent(
        String eventId,
        Optional<String> organizationId,
        Actor actor,
        String action,
        Optional<Target> target,
        Instant occurredAt,
        Optional<String> sourceIp,
        String requestId,
        Outcome outcome,
        Map<String, String> details) {

    /** The shape of {@link #action}. */
    public static final String ACTION_PATTERN = "^[a-z][a-z0-9_.]{2,63}$";

    /** Earliest {@link #occurredAt} (inclusive). */
    public static final Instant EARLIEST = Instant.EPOCH;
    /** Latest {@link #occurredAt} (exclusive): keeps the year at four digits. */
    public static final Instant LATEST = Instant.parse("+10000-01-01T00:00:00Z");

    private static final Pattern ACTION = Pattern.compile(ACTION_PATTERN);
    private static final Pattern SOURCE_IP = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:=+/-]{1,128}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** @throws IllegalArgumentException when a field breaks the rules above (the message never holds a value) */
    public AuditEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(sourceIp, "sourceIp");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(details, "details");
        if (!AuditIds.EVENT_ID.matcher(eventId).matches()) {
            throw new IllegalArgumentException("event id must match " + AuditIds.EVENT_ID.pattern());
        }
        if (organizationId.isPresent() && !AuditIds.isOrganizationId(organizationId.get())) {
            throw new IllegalArgumentException("organization id must match " + AuditIds.ORGANIZATION_ID.pattern());
        }
        if (!isAction(action)) {
            throw new IllegalArgumentException("action must match " + ACTION_PATTERN + " without empty segments");
        }
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
        if (occurredAt.isBefore(EARLIEST) || !occurredAt.isBefore(LATEST)) {
            throw new IllegalArgumentException("occurredAt must fall in the years 1970-9999");
        }
        if (sourceIp.isPresent() && !SOURCE_IP.matcher(sourceIp.get()).matches()) {
            throw new IllegalArgumentException("sourceIp must be an IPv4 or IPv6 literal");
        }
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw new IllegalArgumentException("requestId must match " + REQUEST_ID.pattern());
        }
        details = AuditDetails.validated(details);
    }

    /** Whether {@code action} is a valid action code: the pattern, and no empty dotted segment. */
    public static boolean isAction(String action) {
        return action != null && ACTION.matcher(action).matches() && !action.endsWith(".")
                && !action.contains("..");
    }

    /**
     * The log's total order: {@code <occurredAt as uuuu-MM-dd'T'HH:mm:ss.SSS'Z'>#<eventId>}. Fixed width
     * in its time part, so string order is time order (ties broken by event id); newest first means
     * descending order key. The DynamoDB adapter uses it as the sort key.
     */
    public String orderKey() {
        return formatTime(occurredAt) + "#" + eventId;
    }

    /**
     * An instant in the fixed-width form of {@link #orderKey()}, truncated to the millisecond. As a
     * bound it sorts before every order key of that millisecond (it lacks the {@code #…} suffix).
     */
    public static String formatTime(Instant instant) {
        return TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder with a fresh event id from {@code ids} and {@code occurredAt} from {@code clock};
     * outcome {@link Outcome#SUCCESS} until set.
     */
    public static Builder builder(IdGenerator ids, Clock clock) {
        return new Builder().eventId(ids.next(IdPrefix.EVENT)).occurredAt(clock.instant());
    }

    /** Builds an {@link AuditEvent}; {@link #build()} runs every check of the record. */
    public static final class Builder {

        private String eventId;
        private Optional<String> organizationId = Optional.empty();
        private Actor actor;
        private String action;
        private Optional<Target> target = Optional.empty();
        private Instant occurredAt;
        private Optional<String> sourceIp = Optional.empty();
        private String requestId;
        private Outcome outcome = Outcome.SUCCESS;
        private final Map<String, String> details = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets the event id. */
        public Builder eventId(String value) {
            this.eventId = value;
            return this;
        }

        /** The tenant; leave unset for an event that belongs to none. */
        public Builder organizationId(String value) {
            this.organizationId = Optional.of(value);
            return this;
        }

        /** The tenant, or none. */
        public Builder organizationId(Optional<String> value) {
            this.organizationId = value;
            return this;
        }

        /** Sets the actor. */
        public Builder actor(Actor value) {
            this.actor = value;
            return this;
        }

        /** Sets the action code. */
        public Builder action(String value) {
            this.action = value;
            return this;
        }

        /** Sets the target. */
        public Builder target(String type, String id) {
            this.target = Optional.of(new Target(type, id));
            return this;
        }

        /** Sets the target. */
        public Builder target(Target value) {
            this.target = Optional.of(value);
            return this;
        }

        /** Sets the time. */
        public Builder occurredAt(Instant value) {
            this.occurredAt = value;
            return this;
        }

        /** Sets the caller's address. */
        public Builder sourceIp(String value) {
            this.sourceIp = Optional.of(value);
            return this;
        }

        /** Sets the request id. */
        public Builder requestId(String value) {
            this.requestId = value;
            return this;
        }

        /** Sets the outcome. */
        public Builder outcome(Outcome value) {
            this.outcome = value;
            return this;
        }

        /** Adds one detail (checked at {@link #build()}). */
        public Builder detail(String key, String value) {
            this.details.put(key, value);
            return this;
        }

        /** Adds details (checked at {@link #build()}). */
        public Builder details(Map<String, String> values) {
            this.details.putAll(values);
            return this;
        }

        /** @throws IllegalArgumentException or {@link NullPointerException} when the event breaks a rule */
        public AuditEvent build() {
            return new AuditEvent(eventId, organizationId, actor, action, target, occurredAt, sourceIp, requestId,
                    outcome, details);
        }
    }
}
