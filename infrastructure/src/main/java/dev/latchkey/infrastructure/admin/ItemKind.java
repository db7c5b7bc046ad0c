package dev.latchkey.infrastructure.admin;

import dev.latchkey.infrastructure.dynamodb.Keys;
import java.util.Locale;
import java.util.Optional;

/**
 * The items an export carries besides users, named by what they are; everything else (sessions, refresh tokens,
 * the access-token deny-list, rate windows, login throttles, challenges, one-time tokens, assertion ids, audit
 * events, signing keys, the daily verification counts of API keys, the health item) is deployment state that is not
 * moved: a new deployment makes its own. A key's external-id index item moves with it, so the imported key is listed
 * by its external id. Applications move with their credentials (secret hashes under the exported pepper, public keys)
 * and their marker in the organization's partition, and a user's remembered consents with the user, so a
 * relying party signs its users in after an import as before (without asking consent again).
 * Users themselves are {@code user} lines, not items ({@link TableExport}).
 */
enum ItemKind {
    PEPPER, ORGANIZATION, MEMBER, INVITATION, INVITATION_TOKEN, INVITEE, TEAM, TEAM_NAME, TEAM_MEMBER, RESOURCE,
    AUDIENCE, GRANT, CLIENT, CLIENT_MARKER, CLIENT_SECRET, CLIENT_KEY, API_KEY, API_KEY_MARKER, API_KEY_DESCENDANT,
    PASSKEY, PASSKEY_CREDENTIAL, PASSKEY_USER_HANDLE, API_KEY_EXTERNAL_ID, APPLICATION, APPLICATION_MARKER,
    CONSENT;

    /** The name in the export, e.g. {@code api_key}. */
    String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of this code, if any. */
    static Optional<ItemKind> ofCode(String code) {
        for (ItemKind kind : values()) {
            if (kind.code().equals(code)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** What an item is, from its key alone; empty for what is not exported. */
    static Optional<ItemKind> of(String pk, String sk) {
        ItemKind kind = null;
        if (pk.equals(Keys.SECRET_PK) && sk.startsWith(Keys.PEPPER)) {
            kind = PEPPER;
        } else if (pk.startsWith(Keys.ORG)) {
            kind = organizationPart(sk);
        } else if (pk.startsWith(Keys.INVITATION) && sk.equals(Keys.INVITATION_SK)) {
            kind = INVITATION_TOKEN;
        } else if (pk.startsWith(Keys.AUDIENCE) && sk.equals(Keys.AUDIENCE_SK)) {
            kind = AUDIENCE;
        } else if (pk.startsWith(Keys.CLIENT)) {
            kind = sk.equals(Keys.CLIENT_SK) ? CLIENT : sk.startsWith(Keys.CLIENT_SECRET) ? CLIENT_SECRET
                    : sk.startsWith(Keys.KEY) ? CLIENT_KEY : null;
        } else if (pk.startsWith(Keys.API_KEY)) {
            kind = sk.equals(Keys.API_KEY_SK) ? API_KEY : sk.startsWith(Keys.DESCENDANT) ? API_KEY_DESCENDANT : null;
        } else if (pk.startsWith(Keys.APPLICATION) && sk.equals(Keys.APPLICATION_SK)) {
            kind = APPLICATION;
        } else if (pk.startsWith(Keys.USER)) {
            kind = sk.startsWith(Keys.PASSKEY) ? PASSKEY : sk.equals(Keys.WEBAUTHN_SK) ? PASSKEY_USER_HANDLE
                    : sk.startsWith(Keys.CONSENT) ? CONSENT : null;
        } else if (pk.startsWith(Keys.EXTERNAL_ID) && sk.startsWith(Keys.API_KEY)) {
            kind = API_KEY_EXTERNAL_ID;
        } else if (pk.startsWith(Keys.CREDENTIAL) && sk.equals(Keys.CREDENTIAL_SK)) {
            kind = PASSKEY_CREDENTIAL;
        }
        return Optional.ofNullable(kind);
    }

    private static ItemKind organizationPart(String sk) {
        if (sk.equals(Keys.ORG_SK)) {
            return ORGANIZATION;
        }
        if (sk.startsWith(Keys.MEMBER)) {
            return MEMBER;
        }
        if (sk.startsWith(Keys.INVITATION)) {
            return INVITATION;
        }
        if (sk.startsWith(Keys.INVITEE)) {
            return INVITEE;
        }
        if (sk.startsWith(Keys.TEAM_NAME)) {
            return TEAM_NAME;
        }
        if (sk.startsWith(Keys.TEAM_MEMBER)) {
            return TEAM_MEMBER;
        }
        if (sk.startsWith(Keys.TEAM)) {
            return TEAM;
        }
        if (sk.startsWith(Keys.RESOURCE)) {
            return RESOURCE;
        }
        if (sk.startsWith(Keys.GRANT)) {
            return GRANT;
        }
        if (sk.startsWith(Keys.CLIENT)) {
            return CLIENT_MARKER;
        }
        if (sk.startsWith(Keys.API_KEY)) {
            return API_KEY_MARKER;
        }
        if (sk.startsWith(Keys.APPLICATION)) {
            return APPLICATION_MARKER;
        }
        return null;
    }
}
