package dev.latchkey.infrastructure.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key schema of the single table: the one place that spells every partition key, sort key and {@code gsi1} key
 * format (docs/data-model.md "Items that exist"). Adapters build keys and {@code begins_with} prefixes only through
 * this class; {@code KeysTest.noMainSourceOutsideKeysSpellsAKeyPrefix} fails the build when another main source file
 * spells a key prefix literal such as {@code "ORG#"}.
 *
 * <p>Prefixes end in {@code #}; fixed sort keys (and fixed partitions such as {@code SIGNING_KEY}) have no
 * {@code #}. A key method returns the item's primary key ({@code pk}, {@code sk}) as an attribute map; a method
 * ending in {@code Pk}, {@code Sk}, {@code Gsi1Pk} or {@code Gsi1Sk} returns one key attribute's text.
 */
public final class Keys {

    // ---------------------------------------------------------------- prefixes and fixed keys

    /** Organization partition {@code ORG#<orgId>}; also a membership's {@code gsi1sk} and a list's {@code gsi1pk}. */
    public static final String ORG = "ORG#";
    /** The organization item's sort key. */
    public static final String ORG_SK = "ORG";
    /** Membership sort key {@code MEMBER#<userId>}; also a team member's {@code gsi1sk}. */
    public static final String MEMBER = "MEMBER#";
    /** User partition {@code USER#<userId>} (profile, passkeys, WebAuthn handle); memberships' and sessions' gsi1pk. */
    public static final String USER = "USER#";
    /** The user profile's sort key. */
    public static final String PROFILE_SK = "PROFILE";
    /** Email claim partition {@code EMAIL#<canonical email>}. */
    public static final String EMAIL = "EMAIL#";
    /** The email claim's sort key. */
    public static final String EMAIL_SK = "EMAIL";
    /** Invitation sort key {@code INVITATION#<invitationId>}, and token lookup partition {@code INVITATION#<hash>}. */
    public static final String INVITATION = "INVITATION#";
    /** The invitation token lookup's sort key. */
    public static final String INVITATION_SK = "INVITATION";
    /** Invitee claim sort key {@code INVITEE#<sha256 hex of the canonical email>}. */
    public static final String INVITEE = "INVITEE#";
    /** Team sort key {@code TEAM#<teamId>}; a team member's {@code gsi1pk}. */
    public static final String TEAM = "TEAM#";
    /** Team name claim sort key {@code TEAMNAME#<lower-cased name>}. */
    public static final String TEAM_NAME = "TEAMNAME#";
    /** Team member sort key {@code TEAMMEMBER#<userId>#<teamId>}. */
    public static final String TEAM_MEMBER = "TEAMMEMBER#";
    /** Resource sort key {@code RESOURCE#<resourceId>}. */
    public static final String RESOURCE = "RESOURCE#";
    /** Audience claim (or tombstone) partition {@code AUDIENCE#<audience>}. */
    public static final String AUDIENCE = "AUDIENCE#";
    /** The audience claim's sort key. */
    public static final String AUDIENCE_SK = "AUDIENCE";
    /** Grant sort key {@code GRANT#<resourceId>#<granteeId>}. */
    public static final String GRANT = "GRANT#";
    /**
     * Service client partition {@code CLIENT#<clientId>}, client marker sort key {@code CLIENT#<clientId>} under the
     * organization, and the client's {@code gsi1sk} {@code CLIENT#<createdAt>#<clientId>}.
     */
    public static final String CLIENT = "CLIENT#";
    /** The service client item's sort key. */
    public static final String CLIENT_SK = "CLIENT";
    /**
     * Application (OIDC relying party) partition {@code APP#<clientId>}, and the application's {@code gsi1sk}
     * {@code APP#<createdAt>#<clientId>}.
     */
    public static final String APPLICATION = "APP#";
    /** The application item's sort key. */
    public static final String APPLICATION_SK = "APP";
    /** Client secret sort key {@code SECRET#<secretId>}. */
    public static final String CLIENT_SECRET = "SECRET#";
    /** Client key sort key {@code KEY#<keyId>}, and signing key sort key {@code KEY#<kid>}. */
    public static final String KEY = "KEY#";
    /**
     * API key partition {@code APIKEY#<keyId>}, API key marker sort key {@code APIKEY#<keyId>} under the
     * organization, and the key's {@code gsi1sk} {@code APIKEY#<createdAt>#<keyId>}.
     */
    public static final String API_KEY = "APIKEY#";
    /** The API key item's sort key. */
    public static final String API_KEY_SK = "APIKEY";
    /** API key descendant sort key {@code DESCENDANT#<keyId>} under the family's first key. */
    public static final String DESCENDANT = "DESCENDANT#";
    /** API keys by external id: partition {@code EXTID#<orgId>#<externalId>}, sort key {@code APIKEY#<keyId>}. */
    public static final String EXTERNAL_ID = "EXTID#";
    /** A key's verification counts partition {@code VERIFY_KEY#<keyId>} (docs/api-keys.md "Verification analytics"). */
    public static final String VERIFICATIONS_OF_KEY = "VERIFY_KEY#";
    /** An organization's verification counts partition {@code VERIFY_ORG#<orgId>}. */
    public static final String VERIFICATIONS_OF_ORG = "VERIFY_ORG#";
    /** A day's verification counts sort key {@code DAY#<yyyy-MM-dd>}. */
    public static final String DAY = "DAY#";
    /** Challenge partition {@code CHALLENGE#<hash or id>}. */
    public static final String CHALLENGE = "CHALLENGE#";
    /** The challenge's sort key. */
    public static final String CHALLENGE_SK = "CHALLENGE";
    /** Passkey sort key {@code PASSKEY#<passkeyId>} under the user. */
    public static final String PASSKEY = "PASSKEY#";
    /** The active TOTP factor's sort key under the user. */
    public static final String MFA_TOTP_SK = "MFA_TOTP";
    /** A pending TOTP enrolment's sort key under the user. */
    public static final String MFA_PENDING_SK = "MFA_PENDING";
    /** Recovery code sort key {@code MFA_RECOVERY#<keyed hash>} under the user. */
    public static final String MFA_RECOVERY = "MFA_RECOVERY#";
    /** Credential lookup partition {@code CREDENTIAL#<credentialId>}. */
    public static final String CREDENTIAL = "CREDENTIAL#";
    /** The credential lookup's sort key. */
    public static final String CREDENTIAL_SK = "CREDENTIAL";
    /** The WebAuthn user handle's sort key under the user. */
    public static final String WEBAUTHN_SK = "WEBAUTHN";
    /** The signing-key partition. */
    public static final String SIGNING_KEY_PK = "SIGNING_KEY";
    /** The key ring's sort key. */
    public static final String RING_SK = "RING";
    /** Session partition {@code SESSION#<sessionId>}; a session's {@code gsi1sk} {@code SESSION#<createdAt>}. */
    public static final String SESSION = "SESSION#";
    /** The session's sort key. */
    public static final String SESSION_SK = "SESSION";
    /** Revoked access token partition {@code REVOKED_JTI#<jti>}. */
    public static final String REVOKED_JTI = "REVOKED_JTI#";
    /** The revoked access token's sort key. */
    public static final String REVOKED_JTI_SK = "REVOKED_JTI";
    /** Refresh token partition {@code REFRESH#<keyed hash>}. */
    public static final String REFRESH = "REFRESH#";
    /** The refresh token's sort key. */
    public static final String REFRESH_SK = "REFRESH";
    /** Client-assertion replay partition {@code JTI#<clientId>#<sha256 hex of the jti>}. */
    public static final String ASSERTION_JTI = "JTI#";
    /** The client-assertion replay item's sort key. */
    public static final String ASSERTION_JTI_SK = "JTI";
    /** Rate-limit window partition {@code RATE#<bucket>#<window start>}. */
    public static final String RATE = "RATE#";
    /** The rate-limit window's sort key. */
    public static final String RATE_SK = "RATE";
    /** Login throttle partition {@code THROTTLE#<account key>}. */
    public static final String THROTTLE = "THROTTLE#";
    /** The login throttle's sort key. */
    public static final String THROTTLE_SK = "THROTTLE";
    /** Single sign-on browser session partition {@code SSO#<SHA-256 of the cookie value>} (issue 15). */
    public static final String SSO = "SSO#";
    /** The browser session's sort key. */
    public static final String SSO_SK = "SSO";
    /** Consent sort key {@code CONSENT#<clientId>} under the user (issue 15). */
    public static final String CONSENT = "CONSENT#";
    /** The sealed secrets' partition (peppers). */
    public static final String SECRET_PK = "SECRET";
    /** Pepper sort key {@code PEPPER#<name>}. */
    public static final String PEPPER = "PEPPER#";
    /** Audit partition {@code AUDIT#<orgId or system>#<yyyy-MM>}. */
    public static final String AUDIT = "AUDIT#";
    /**
     * Issuance-summary partition {@code ISSUED#<orgId>#<yyyy-MM>}: per-minute counts of successful token issues
     * (core.audit.IssuanceSummaries), updated with {@code ADD}, so outside the append-only {@code AUDIT#} prefix.
     */
    public static final String ISSUED = "ISSUED#";
    /** The readiness check's key (both parts): no item lives there. */
    public static final String HEALTH = "HEALTH";
    /** The separator inside composite key parts. */
    public static final String SEPARATOR = "#";

    private Keys() {
    }

    // ---------------------------------------------------------------- generic

    /** A primary key from its two parts. */
    public static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(LatchkeyTable.PK, AttributeValue.fromS(pk), LatchkeyTable.SK, AttributeValue.fromS(sk));
    }

    /** The primary key of any item (its {@code pk} and {@code sk} attributes only). */
    public static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of(LatchkeyTable.PK, item.get(LatchkeyTable.PK), LatchkeyTable.SK, item.get(LatchkeyTable.SK));
    }

    // ---------------------------------------------------------------- users

    /** {@code USER#<userId>}: the user's partition, and a membership's or a session's {@code gsi1pk}. */
    public static String userPk(String userId) {
        return USER + userId;
    }

    /** The user id of a {@code USER#<userId>} key text. */
    public static String userIdOf(String userPk) {
        return userPk.substring(USER.length());
    }

    /** The user profile {@code USER#<userId>}/{@code PROFILE}. */
    public static Map<String, AttributeValue> user(String userId) {
        return key(userPk(userId), PROFILE_SK);
    }

    /** The email claim {@code EMAIL#<canonical email>}/{@code EMAIL}. */
    public static Map<String, AttributeValue> emailClaim(String canonicalEmail) {
        return key(EMAIL + canonicalEmail, EMAIL_SK);
    }

    // ---------------------------------------------------------------- organizations, members, invitations

    /** {@code ORG#<orgId>}: the organization's partition, a membership's {@code gsi1sk}, a list's {@code gsi1pk}. */
    public static String organizationPk(String organizationId) {
        return ORG + organizationId;
    }

    /** The organization item {@code ORG#<orgId>}/{@code ORG}. */
    public static Map<String, AttributeValue> organization(String organizationId) {
        return key(organizationPk(organizationId), ORG_SK);
    }

    /** {@code MEMBER#<userId>}: a membership's sort key, a team member's {@code gsi1sk}. */
    public static String memberSk(String userId) {
        return MEMBER + userId;
    }

    /** The membership {@code ORG#<orgId>}/{@code MEMBER#<userId>}. */
    public static Map<String, AttributeValue> membership(String organizationId, String userId) {
        return key(organizationPk(organizationId), memberSk(userId));
    }

    /** {@code INVITATION#<invitationId>}: an invitation's sort key. */
    public static String invitationSk(String invitationId) {
        return INVITATION + invitationId;
    }

    /** The invitation {@code ORG#<orgId>}/{@code INVITATION#<invitationId>}. */
    public static Map<String, AttributeValue> invitation(String organizationId, String invitationId) {
        return key(organizationPk(organizationId), invitationSk(invitationId));
    }

    /** The invitation token lookup {@code INVITATION#<sha256 hex of the token>}/{@code INVITATION}. */
    public static Map<String, AttributeValue> invitationToken(String tokenHash) {
        return key(INVITATION + tokenHash, INVITATION_SK);
    }

    /** The invitee claim {@code ORG#<orgId>}/{@code INVITEE#<sha256 hex of the canonical email>}. */
    public static Map<String, AttributeValue> invitee(String organizationId, String emailHash) {
        return key(organizationPk(organizationId), INVITEE + emailHash);
    }

    // ---------------------------------------------------------------- teams

    /** {@code TEAM#<teamId>}: a team's sort key, a team member's {@code gsi1pk}. */
    public static String teamSk(String teamId) {
        return TEAM + teamId;
    }

    /** The team {@code ORG#<orgId>}/{@code TEAM#<teamId>}. */
    public static Map<String, AttributeValue> team(String organizationId, String teamId) {
        return key(organizationPk(organizationId), teamSk(teamId));
    }

    /** The team name claim {@code ORG#<orgId>}/{@code TEAMNAME#<name key>}. */
    public static Map<String, AttributeValue> teamName(String organizationId, String nameKey) {
        return key(organizationPk(organizationId), TEAM_NAME + nameKey);
    }

    /** {@code TEAMMEMBER#<userId>#}: the prefix of a user's team memberships in the organization. */
    public static String teamMembersOf(String userId) {
        return TEAM_MEMBER + userId + SEPARATOR;
    }

    /** The team member {@code ORG#<orgId>}/{@code TEAMMEMBER#<userId>#<teamId>}. */
    public static Map<String, AttributeValue> teamMember(String organizationId, String userId, String teamId) {
        return key(organizationPk(organizationId), teamMembersOf(userId) + teamId);
    }

    // ---------------------------------------------------------------- resources and grants

    /** {@code RESOURCE#<resourceId>}: a resource's sort key. */
    public static String resourceSk(String resourceId) {
        return RESOURCE + resourceId;
    }

    /** The resource {@code ORG#<orgId>}/{@code RESOURCE#<resourceId>}. */
    public static Map<String, AttributeValue> resource(String organizationId, String resourceId) {
        return key(organizationPk(organizationId), resourceSk(resourceId));
    }

    /** The audience claim or tombstone {@code AUDIENCE#<audience>}/{@code AUDIENCE}. */
    public static Map<String, AttributeValue> audience(String audience) {
        return key(AUDIENCE + audience, AUDIENCE_SK);
    }

    /** {@code GRANT#<resourceId>#}: the prefix of a resource's grants. */
    public static String grantsOf(String resourceId) {
        return GRANT + resourceId + SEPARATOR;
    }

    /** Whether a grant's sort key names this grantee ({@code GRANT#<resourceId>#<granteeId>}). */
    public static boolean isGrantTo(String grantSk, String granteeId) {
        return grantSk.startsWith(GRANT) && grantSk.endsWith(SEPARATOR + granteeId);
    }

    /** The grant {@code ORG#<orgId>}/{@code GRANT#<resourceId>#<granteeId>}. */
    public static Map<String, AttributeValue> grant(String organizationId, String resourceId, String granteeId) {
        return key(organizationPk(organizationId), grantsOf(resourceId) + granteeId);
    }

    // ---------------------------------------------------------------- service clients

    /** {@code CLIENT#<clientId>}: the client's partition (and its marker's sort key). */
    public static String clientPk(String clientId) {
        return CLIENT + clientId;
    }

    /** The service client {@code CLIENT#<clientId>}/{@code CLIENT}. */
    public static Map<String, AttributeValue> client(String clientId) {
        return key(clientPk(clientId), CLIENT_SK);
    }

    /** The client marker {@code ORG#<orgId>}/{@code CLIENT#<clientId>}. */
    public static Map<String, AttributeValue> clientMarker(String organizationId, String clientId) {
        return key(organizationPk(organizationId), CLIENT + clientId);
    }

    /** The client secret {@code CLIENT#<clientId>}/{@code SECRET#<secretId>}. */
    public static Map<String, AttributeValue> clientSecret(String clientId, String secretId) {
        return key(clientPk(clientId), CLIENT_SECRET + secretId);
    }

    /** The client key {@code CLIENT#<clientId>}/{@code KEY#<keyId>}. */
    public static Map<String, AttributeValue> clientKey(String clientId, String keyId) {
        return key(clientPk(clientId), KEY + keyId);
    }

    // ---------------------------------------------------------------- applications

    /** The application {@code APP#<clientId>}/{@code APP}. */
    public static Map<String, AttributeValue> application(String clientId) {
        return key(APPLICATION + clientId, APPLICATION_SK);
    }

    /** The application marker {@code ORG#<orgId>}/{@code APP#<clientId>}. */
    public static Map<String, AttributeValue> applicationMarker(String organizationId, String clientId) {
        return key(organizationPk(organizationId), APPLICATION + clientId);
    }

    /** The client-assertion replay partition {@code JTI#<clientId>#<sha256 hex of the jti>}. */
    public static String assertionJtiPk(String clientId, String jtiHash) {
        return ASSERTION_JTI + clientId + SEPARATOR + jtiHash;
    }

    /** The client-assertion replay item {@code JTI#<clientId>#<hash>}/{@code JTI}. */
    public static Map<String, AttributeValue> assertionJti(String clientId, String jtiHash) {
        return key(assertionJtiPk(clientId, jtiHash), ASSERTION_JTI_SK);
    }

    // ---------------------------------------------------------------- API keys

    /** {@code APIKEY#<keyId>}: the key's partition (and the family's descendants' partition of its first key). */
    public static String apiKeyPk(String keyId) {
        return API_KEY + keyId;
    }

    /** The API key {@code APIKEY#<keyId>}/{@code APIKEY}. */
    public static Map<String, AttributeValue> apiKey(String keyId) {
        return key(apiKeyPk(keyId), API_KEY_SK);
    }

    /** The API key marker {@code ORG#<orgId>}/{@code APIKEY#<keyId>}. */
    public static Map<String, AttributeValue> apiKeyMarker(String organizationId, String keyId) {
        return key(organizationPk(organizationId), API_KEY + keyId);
    }

    /** The API key descendant {@code APIKEY#<first keyId>}/{@code DESCENDANT#<keyId>}. */
    public static Map<String, AttributeValue> apiKeyDescendant(String rootKeyId, String keyId) {
        return key(apiKeyPk(rootKeyId), DESCENDANT + keyId);
    }

    /** The partition of an organization's keys with one external id: {@code EXTID#<orgId>#<externalId>}. */
    public static String externalIdPk(String organizationId, String externalId) {
        return EXTERNAL_ID + organizationId + "#" + externalId;
    }

    /** A key's external-id index item {@code EXTID#<orgId>#<externalId>}/{@code APIKEY#<keyId>}. */
    public static Map<String, AttributeValue> apiKeyByExternalId(String organizationId, String externalId,
            String keyId) {
        return key(externalIdPk(organizationId, externalId), API_KEY + keyId);
    }

    /**
     * The partition of a key's daily verification counts {@code VERIFY_KEY#<keyId>}, or with a null key id of its
     * organization's {@code VERIFY_ORG#<orgId>}.
     */
    public static String verificationsPk(String organizationId, String keyId) {
        return keyId == null ? VERIFICATIONS_OF_ORG + organizationId : VERIFICATIONS_OF_KEY + keyId;
    }

    /** A day's sort key {@code DAY#<yyyy-MM-dd>} (ISO order is day order). */
    public static String daySk(java.time.LocalDate day) {
        return DAY + day;
    }

    /** One day's verification counts of a key (or, with a null key id, of an organization). */
    public static Map<String, AttributeValue> verifications(String organizationId, String keyId,
            java.time.LocalDate day) {
        return key(verificationsPk(organizationId, keyId), daySk(day));
    }

    // ---------------------------------------------------------------- challenges and passkeys

    /** The challenge {@code CHALLENGE#<hash or id>}/{@code CHALLENGE}. */
    public static Map<String, AttributeValue> challenge(String id) {
        return key(CHALLENGE + id, CHALLENGE_SK);
    }

    /** The passkey {@code USER#<userId>}/{@code PASSKEY#<passkeyId>}. */
    public static Map<String, AttributeValue> passkey(String userId, String passkeyId) {
        return key(userPk(userId), PASSKEY + passkeyId);
    }

    /** The credential lookup {@code CREDENTIAL#<credentialId>}/{@code CREDENTIAL}. */
    public static Map<String, AttributeValue> credential(String credentialId) {
        return key(CREDENTIAL + credentialId, CREDENTIAL_SK);
    }

    /** The WebAuthn user handle {@code USER#<userId>}/{@code WEBAUTHN}. */
    public static Map<String, AttributeValue> webAuthnUser(String userId) {
        return key(userPk(userId), WEBAUTHN_SK);
    }

    /** The active TOTP factor {@code USER#<userId>}/{@code MFA_TOTP}. */
    public static Map<String, AttributeValue> totpFactor(String userId) {
        return key(userPk(userId), MFA_TOTP_SK);
    }

    /** The pending TOTP enrolment {@code USER#<userId>}/{@code MFA_PENDING}. */
    public static Map<String, AttributeValue> pendingTotp(String userId) {
        return key(userPk(userId), MFA_PENDING_SK);
    }

    /** A recovery code {@code USER#<userId>}/{@code MFA_RECOVERY#<hash>}. */
    public static Map<String, AttributeValue> recoveryCode(String userId, String codeHash) {
        return key(userPk(userId), MFA_RECOVERY + codeHash);
    }

    // ---------------------------------------------------------------- signing keys, secrets

    /** The key ring {@code SIGNING_KEY}/{@code RING}. */
    public static Map<String, AttributeValue> keyRing() {
        return key(SIGNING_KEY_PK, RING_SK);
    }

    /** A signing key {@code SIGNING_KEY}/{@code KEY#<kid>}. */
    public static Map<String, AttributeValue> signingKey(String kid) {
        return key(SIGNING_KEY_PK, KEY + kid);
    }

    /** A pepper {@code SECRET}/{@code PEPPER#<name>}. */
    public static Map<String, AttributeValue> pepper(String name) {
        return key(SECRET_PK, PEPPER + name);
    }

    // ---------------------------------------------------------------- sessions and tokens

    /** The session {@code SESSION#<sessionId>}/{@code SESSION}. */
    public static Map<String, AttributeValue> session(String sessionId) {
        return key(SESSION + sessionId, SESSION_SK);
    }

    /** A session's {@code gsi1sk} {@code SESSION#<createdAt>}. */
    public static String sessionGsi1Sk(String createdAt) {
        return SESSION + createdAt;
    }

    /** The refresh token {@code REFRESH#<keyed hash>}/{@code REFRESH}. */
    public static Map<String, AttributeValue> refreshToken(String tokenId) {
        return key(REFRESH + tokenId, REFRESH_SK);
    }

    /** The access-token deny-list entry {@code REVOKED_JTI#<jti>}/{@code REVOKED_JTI}. */
    public static Map<String, AttributeValue> revokedJti(String jwtId) {
        return key(REVOKED_JTI + jwtId, REVOKED_JTI_SK);
    }

    // ---------------------------------------------------------------- the hosted pages (OpenID Provider)

    /** The single sign-on browser session {@code SSO#<cookie hash>}/{@code SSO}. */
    public static Map<String, AttributeValue> ssoSession(String cookieHash) {
        return key(SSO + cookieHash, SSO_SK);
    }

    /** A user's consent to a client {@code USER#<userId>}/{@code CONSENT#<clientId>}. */
    public static Map<String, AttributeValue> consent(String userId, String clientId) {
        return key(userPk(userId), CONSENT + clientId);
    }

    // ---------------------------------------------------------------- throttling and audit

    /** The rate-limit window {@code RATE#<bucket>#<window start>}/{@code RATE}. */
    public static Map<String, AttributeValue> rateWindow(String bucket, long windowStart) {
        return key(RATE + bucket + SEPARATOR + windowStart, RATE_SK);
    }

    /** The login throttle {@code THROTTLE#<account key>}/{@code THROTTLE}. */
    public static Map<String, AttributeValue> loginThrottle(String accountKey) {
        return key(THROTTLE + accountKey, THROTTLE_SK);
    }

    /** An issuance-summary partition {@code ISSUED#<scope>#<yyyy-MM>}. */
    public static String issuedPk(String scope, String month) {
        return ISSUED + scope + SEPARATOR + month;
    }

    /** An audit partition {@code AUDIT#<scope>#<yyyy-MM>}. */
    public static String auditPk(String scope, String month) {
        return AUDIT + scope + SEPARATOR + month;
    }
}
