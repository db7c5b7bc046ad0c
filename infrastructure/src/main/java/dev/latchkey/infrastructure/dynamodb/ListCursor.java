package dev.latchkey.infrastructure.dynamodb;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where the next page of an organization's list on {@code gsi1} starts: after the item whose {@code gsi1sk} is
 * {@code <prefix><time>#<id>}. Opaque to clients: base64url (no padding) of {@code v1|<orgId>|<time>|<id>}. Only the
 * canonical encoding of a well-formed cursor for the organization being listed is accepted, so a cursor is bound to
 * its organization; the query's partition always comes from the request, never from the cursor.
 *
 * @param organizationId the organization being listed
 * @param time the item's index time ({@code yyyy-MM-ddTHH:mm:ss.SSSZ})
 * @param id the item's id
 */
public record ListCursor(String organizationId, String time, String id) {

    /** Longest cursor accepted (a real one is about 120 characters). */
    public static final int MAX_LENGTH = 256;

    private static final String VERSION = "v1";
    private static final DateTimeFormatter INDEX_TIME_FORMAT = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern INDEX_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");

    /**
     * The cursor after an item (or a {@code LastEvaluatedKey}) of the organization's list.
     *
     * @param gsi1SkPrefix what comes before {@code <time>#<id>} in the item's {@code gsi1sk}
     */
    public static ListCursor after(String organizationId, String gsi1SkPrefix, Map<String, AttributeValue> item) {
        String rest = item.get(LatchkeyTable.GSI1_SK).s().substring(gsi1SkPrefix.length());
        int split = rest.indexOf('#');
        return new ListCursor(organizationId, rest.substring(0, split), rest.substring(split + 1));
    }

    /** The opaque text handed to the client. */
    public String encode() {
        String text = VERSION + "|" + organizationId + "|" + time + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor a client sent back.
     *
     * @param isId whether the id part is an id of the listed kind
     * @return empty for anything but the canonical encoding of a well-formed cursor for this organization
     */
    public static Optional<ListCursor> decode(String text, String organizationId, Predicate<String> isId) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        ListCursor cursor;
        try {
            String plain = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(text))).toString();
            String[] parts = plain.split("\\|", -1);
            if (parts.length != 4 || !parts[0].equals(VERSION) || !INDEX_TIME.matcher(parts[2]).matches()
                    || !isId.test(parts[3])) {
                return Optional.empty();
            }
            Instant.parse(parts[2]);
            cursor = new ListCursor(parts[1], parts[2], parts[3]);
        } catch (IllegalArgumentException | CharacterCodingException | DateTimeParseException e) {
            return Optional.empty();
        }
        if (!cursor.organizationId().equals(organizationId) || !cursor.encode().equals(text)) {
            return Optional.empty();
        }
        return Optional.of(cursor);
    }

    /**
     * The {@code gsi1sk} of a listed item: {@code <prefix><creation time to the millisecond, fixed width>#<id>}, so
     * that the index orders by creation time; {@link #after} reads it back.
     */
    public static String gsi1SortKey(String gsi1SkPrefix, Instant createdAt, String id) {
        return gsi1SkPrefix + INDEX_TIME_FORMAT.format(createdAt.truncatedTo(ChronoUnit.MILLIS)) + "#" + id;
    }

    /** The item's {@code gsi1sk}, given the same prefix as {@link #after}. */
    public String gsi1SortKey(String gsi1SkPrefix) {
        return gsi1SkPrefix + time + "#" + id;
    }
}
