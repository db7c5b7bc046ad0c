package dev.latchkey.core.audit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the next page of an audit query starts: the query's scope (an organization id, or
 * {@link AuditLog#NO_ORGANIZATION}), the UTC month partition, and the {@link AuditEvent#orderKey()
 * order key} after which to continue in that month (empty: from the month's newest event).
 *
 * <p>Clients see it as an opaque string: base64url (no padding) of {@code v1|<scope>|<yyyy-MM>|<after>}.
 * {@link #decode} accepts only the canonical encoding of a well-formed cursor for the expected
 * scope; anything else, including a cursor issued for another organization, is a
 * {@code VALIDATION_ERROR}. A cursor is a position, not a credential: reads are always confined to
 * the scope of the request, whatever a cursor says.
 *
 * @param scope the organization id or {@link AuditLog#NO_ORGANIZATION}
 * @param month the month partition to continue in
 * @param after the order key to continue after, within {@code month}
 */
public record AuditCursor(String scope, YearMonth month, Optional<String> after) {

    private static final String VERSION = "v1";
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern ORDER_KEY = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)#evt_[0-9A-Za-z]{1,64}");

    /** @throws IllegalArgumentException when the parts do not form a cursor */
    public AuditCursor {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(after, "after");
        if (!scope.equals(AuditLog.NO_ORGANIZATION) && !AuditIds.isOrganizationId(scope)) {
            throw new IllegalArgumentException("cursor scope is not an organization id");
        }
        if (month.getYear() < 1969 || month.getYear() > 9999) {
            throw new IllegalArgumentException("cursor month out of range");
        }
        if (after.isPresent() && !month.equals(monthOf(after.get()))) {
            throw new IllegalArgumentException("cursor key is not an order key of its month");
        }
    }

    /** The cursor continuing after {@code event}, in its month. */
    public static AuditCursor after(String scope, AuditEvent event) {
        return new AuditCursor(scope, YearMonth.from(event.occurredAt().atOffset(ZoneOffset.UTC)),
                Optional.of(event.orderKey()));
    }

    /** The cursor starting at the newest event of {@code month}. */
    public static AuditCursor startOf(String scope, YearMonth month) {
        return new AuditCursor(scope, month, Optional.empty());
    }

    /** The opaque form handed to clients. */
    public String encode() {
        String text = VERSION + "|" + scope + "|" + month + "|" + after.orElse("");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor a client sent back.
     *
     * @param text the client's cursor
     * @param expectedScope the scope of the query it continues
     * @throws AuditException {@code VALIDATION_ERROR} ({@link AuditException#invalidCursor()}) when it is
     *     not the canonical encoding of a cursor for {@code expectedScope}
     */
    public static AuditCursor decode(String text, String expectedScope) {
        if (text == null || text.isEmpty() || text.length() > AuditQuery.MAX_CURSOR_LENGTH) {
            throw AuditException.invalidCursor();
        }
        AuditCursor cursor;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(text);
            String plain = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 4 || !parts[0].equals(VERSION) || !MONTH.matcher(parts[2]).matches()) {
                throw AuditException.invalidCursor();
            }
            Optional<String> after = parts[3].isEmpty() ? Optional.empty() : Optional.of(parts[3]);
            if (after.isPresent() && !ORDER_KEY.matcher(after.get()).matches()) {
                throw AuditException.invalidCursor();
            }
            cursor = new AuditCursor(parts[1], YearMonth.parse(parts[2]), after);
        } catch (IllegalArgumentException | CharacterCodingException | DateTimeParseException e) {
            throw AuditException.invalidCursor();
        }
        if (!cursor.scope().equals(expectedScope) || !cursor.encode().equals(text)) {
            throw AuditException.invalidCursor();
        }
        return cursor;
    }

    private static YearMonth monthOf(String orderKey) {
        var matcher = ORDER_KEY.matcher(orderKey);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an order key");
        }
        return YearMonth.from(Instant.parse(matcher.group(1)).atOffset(ZoneOffset.UTC));
    }
}
