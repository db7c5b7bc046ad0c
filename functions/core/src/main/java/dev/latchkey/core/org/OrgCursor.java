package dev.latchkey.core.org;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The opaque cursor of the member and invitation lists: base64url (no padding) of
 * {@code v1|<list>|<orgId>|<last id>}. Only the canonical encoding of a cursor for the same list of the same
 * organization is accepted; the store's partition always comes from the authorized path, never from a cursor.
 */
public final class OrgCursor {

    /** The member list. */
    public static final String MEMBERS = "members";
    /** The invitation list. */
    public static final String INVITATIONS = "invitations";

    private static final int MAX_LENGTH = 200;
    private static final Pattern ID = Pattern.compile("(usr|inv)_[0-9A-HJKMNP-TV-Z]{26}");

    private OrgCursor() {
    }

    /** The cursor after {@code lastId}. */
    public static String encode(String list, String organizationId, String lastId) {
        String text = "v1|" + list + "|" + organizationId + "|" + lastId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The id a cursor continues after.
     *
     * @throws OrgException 400 {@code cursor} for anything else than a cursor of this list and organization
     */
    public static String decode(String list, String organizationId, String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        String plain;
        try {
            plain = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw invalid();
        }
        String[] parts = plain.split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals("v1") || !parts[1].equals(list)
                || !parts[2].equals(organizationId) || !ID.matcher(parts[3]).matches()
                || !encode(list, organizationId, parts[3]).equals(cursor)) {
            throw invalid();
        }
        return parts[3];
    }

    private static OrgException invalid() {
        return OrgException.invalid("cursor", "INVALID", "Query 'cursor' is not a cursor of this list.");
    }
}
