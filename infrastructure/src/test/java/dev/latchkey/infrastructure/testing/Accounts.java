package dev.latchkey.infrastructure.testing;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.User;
import dev.latchkey.core.apikey.ApiKey;
import dev.latchkey.core.apikey.ApiKeyHasher;
import dev.latchkey.core.apikey.ApiKeySecrets;
import dev.latchkey.core.apikey.ApiKeyToken;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.keys.CurrentKeys;
import dev.latchkey.core.keys.KeyPolicy;
import dev.latchkey.core.keys.RotateSigningKeys;
import dev.latchkey.core.mfa.PendingTotp;
import dev.latchkey.core.mfa.TotpFactor;
import dev.latchkey.core.mfa.TotpSecrets;
import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceAccess;
import dev.latchkey.core.session.RefreshTokenRecord;
import dev.latchkey.core.session.Session;
import dev.latchkey.core.session.SessionEndReason;
import dev.latchkey.core.session.SessionPolicy;
import dev.latchkey.core.session.SessionTokens;
import dev.latchkey.core.token.AccessTokenClaims;
import dev.latchkey.core.token.AccessTokenIssuer;
import dev.latchkey.core.token.AccessTokenVerifier;
import dev.latchkey.core.vault.SealedSecret;
import dev.latchkey.infrastructure.account.DynamoDbUserRepository;
import dev.latchkey.infrastructure.apikey.DynamoDbApiKeyRepository;
import dev.latchkey.infrastructure.audit.DynamoDbAuditLog;
import dev.latchkey.infrastructure.dynamodb.LatchkeyTable;
import dev.latchkey.infrastructure.keys.DynamoDbKeyRingRepository;
import dev.latchkey.infrastructure.mfa.DynamoDbMfaRepository;
import dev.latchkey.infrastructure.session.DynamoDbSessionRepository;
import dev.latchkey.infrastructure.vault.DynamoDbPeppers;
import dev.latchkey.infrastructure.vault.LocalKeyVault;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * People for function tests, made the way the real functions make them: an account as register writes it (user,
 * personal organization, owner membership), a signed-in session whose access token is signed with the table's key
 * ring (as login signs it, verifiable by every function started with {@link LambdaHarness#localVariables}), and
 * membership items for other roles, and API keys stored as the api-keys function stores them.
 */
public final class Accounts {

    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    private final EmulatedTable table;
    private final SortableIdGenerator ids;
    private final DynamoDbUserRepository users;
    private final DynamoDbApiKeyRepository apiKeys;
    private final ApiKeyHasher apiKeyHasher;
    private final SessionTokens tokens;
    private final CurrentKeys keys;
    private final SecureRandom random;
    private final Clock clock;
    private final LocalKeyVault vault;

    private Accounts(EmulatedTable table, Clock clock) {
        this.random = new SecureRandom();
        this.table = table;
        this.clock = clock;
        this.ids = new SortableIdGenerator(clock, random);
        this.vault = LocalKeyVault.fromBase64(LambdaHarness.MASTER_KEY, random);
        DynamoDbKeyRingRepository ring = new DynamoDbKeyRingRepository(table.client(), EmulatedTable.TABLE);
        if (ring.load().keys().isEmpty()) {
            new RotateSigningKeys(ring, vault, KeyPolicy.defaults(), new InMemoryAuditLog(clock), ids, clock, random)
                    .run("test");
        }
        DynamoDbAuditLog auditLog = new DynamoDbAuditLog(table.client(), EmulatedTable.TABLE, clock);
        this.users = new DynamoDbUserRepository(table.client(), EmulatedTable.TABLE, auditLog);
        this.apiKeys = new DynamoDbApiKeyRepository(table.client(), EmulatedTable.TABLE, auditLog);
        this.apiKeyHasher = new ApiKeyHasher(new DynamoDbPeppers(table.client(), EmulatedTable.TABLE, vault, random,
                clock));
        this.keys = new CurrentKeys(ring, vault, KeyPolicy.defaults(), clock, Duration.ofMinutes(5));
        this.tokens = new SessionTokens(keys, () -> LambdaHarness.ISSUER, SessionPolicy.defaults(), clock, random);
    }

    /** Accounts in this table, with a signing key ring (made when the table has none). */
    public static Accounts in(EmulatedTable table) {
        return new Accounts(table, Clock.systemUTC());
    }

    /**
     * A signed-in person.
     *
     * @param userId {@code usr_…}
     * @param personalOrganizationId the organization register made for them (they own it)
     * @param accessToken a session access token, for {@code Authorization: Bearer}
     */
    public record Person(String userId, String personalOrganizationId, String accessToken) {

        /** {@code Authorization: Bearer} with this person's access token. */
        public Map<String, String> bearer() {
            return HttpEvents.bearer(accessToken);
        }

        @Override
        public String toString() {
            return "Person[" + userId + "]";
        }
    }

    /** A new address at {@code example.com} made from a name ({@code name.N@example.com}), unique in the run. */
    public static String email(String name) {
        return name + "." + ADDRESSES.incrementAndGet() + "@example.com";
    }

    /** A person with a verified, new {@link #email(String) address} made from a name. */
    public Person person(String name) {
        return person(email(name), true);
    }

    /** An account as register makes it, email verified or not, signed in with a password session. */
    public Person person(String email, boolean emailVerified) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String orgId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, EmailAddress.parse(email), "Test Person", "$argon2id$v=19$m=19456,t=2,p=1$unused",
                emailVerified, now, orgId);
        PersonalOrganization organization = new PersonalOrganization(orgId, "Test Person's organization", now, userId);
        users.create(new NewAccount(user, organization, AuditEvent.builder(ids, clock).occurredAt(now)
                .organizationId(orgId).actor(Actor.user(userId)).action("account.registered").target("user", userId)
                .requestId("test").build()));
        Session session = Session.start(ids.next(IdPrefix.SESSION), userId, orgId, List.of("pwd"), now,
                SessionPolicy.defaults());
        // Stored, as login stores it: every management route checks that the token's session is live.
        sessions().create(session, RefreshTokenRecord.active(
                "fixture-" + session.sessionId(), session.sessionId(), 1, session.refreshTokenExpiry()));
        return new Person(userId, orgId, tokens.accessToken(session));
    }

    /**
     * A new session of the same person, signed in now with this {@code amr} (RFC 8176), as a login stores it: for
     * example {@code ["pwd", "otp", "mfa"]}, a password plus TOTP sign-in.
     */
    public Person signIn(Person person, List<String> amr) {
        return signIn(person, amr, clock.instant());
    }

    /**
     * A new session of the same person, signed in at {@code authTime} with this {@code amr}, its access token issued
     * now: for example a multi-factor sign-in eleven minutes ago, too old for a step-up.
     */
    public Person signIn(Person person, List<String> amr, Instant authTime) {
        Instant now = authTime.truncatedTo(ChronoUnit.MILLIS);
        Session session = Session.start(ids.next(IdPrefix.SESSION), person.userId(), person.personalOrganizationId(),
                amr, now, SessionPolicy.defaults());
        sessions().create(session, RefreshTokenRecord.active(
                "fixture-" + session.sessionId(), session.sessionId(), 1, session.refreshTokenExpiry()));
        return new Person(person.userId(), person.personalOrganizationId(), tokens.accessToken(session));
    }

    /**
     * Gives the person a confirmed TOTP authenticator, as enrolment leaves it (the secret sealed by the table's key
     * vault, no recovery codes).
     *
     * @return the secret, as the authenticator app holds it
     */
    public byte[] enrolTotp(Person person) {
        TotpSecrets secrets = new TotpSecrets(vault, random);
        byte[] secret = secrets.generate();
        SealedSecret sealed = secrets.seal(person.userId(), secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        DynamoDbMfaRepository factors = new DynamoDbMfaRepository(table.client(), EmulatedTable.TABLE);
        factors.savePending(new PendingTotp(person.userId(), sealed, now, now.plus(Duration.ofMinutes(10))));
        if (!factors.activate(new TotpFactor(person.userId(), sealed, now, Optional.empty(), 0), List.of())) {
            throw new IllegalStateException("the factor was not activated");
        }
        return secret;
    }

    /** Whether the person has a TOTP authenticator. */
    public boolean hasTotp(Person person) {
        return new DynamoDbMfaRepository(table.client(), EmulatedTable.TABLE).findTotp(person.userId()).isPresent();
    }

    /** Makes a person a member of an organization with a role: the membership item as register writes it. */
    public void join(Person person, String organizationId, Role role) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(LatchkeyTable.PK, AttributeValue.fromS("ORG#" + organizationId));
        item.put(LatchkeyTable.SK, AttributeValue.fromS("MEMBER#" + person.userId()));
        item.put(LatchkeyTable.GSI1_PK, AttributeValue.fromS("USER#" + person.userId()));
        item.put(LatchkeyTable.GSI1_SK, AttributeValue.fromS("ORG#" + organizationId));
        item.put("type", AttributeValue.fromS("MEMBERSHIP"));
        item.put("orgId", AttributeValue.fromS(organizationId));
        item.put("userId", AttributeValue.fromS(person.userId()));
        item.put("role", AttributeValue.fromS(role.text()));
        item.put("createdAt", AttributeValue.fromS(clock.instant().truncatedTo(ChronoUnit.MILLIS).toString()));
        table.client().putItem(p -> p.tableName(EmulatedTable.TABLE).item(item));
    }

    /**
     * An access token as the token endpoint issues it to a service client for one of its organization's resources
     * ({@code sub} = {@code client_id} = the client, {@code aud} = the resource, no {@code sid}), signed with the
     * table's key ring.
     */
    public String clientToken(String clientId, String organizationId, String audience, List<String> scopes) {
        AccessTokenIssuer issuer = new AccessTokenIssuer(keys.signingKey(), clock, random);
        return issuer.issue(issuer.newClaims(Duration.ofMinutes(15)).issuer(LambdaHarness.ISSUER).subject(clientId)
                .clientId(clientId).audience(audience).org(organizationId).scope(scopes).build());
    }

    /**
     * An active API key of the organization with these permissions, stored as the api-keys function stores it
     * (named {@code matrix}, made by the system actor, without expiry or rate limit).
     *
     * @return the key's secret value, for {@code X-API-Key}
     */
    public String apiKey(String organizationId, Collection<String> permissions) {
        String keyId = ids.next(IdPrefix.API_KEY);
        ApiKeyToken token = ApiKeyToken.generate(keyId, random);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        apiKeys.create(new ApiKey(keyId, organizationId, "matrix", Optional.empty(), List.copyOf(permissions), now,
                "usr_01JD3ZK8W6Q4V8S2M9N7T5R3P1", Optional.empty(), Optional.empty(), Optional.empty(),
                ApiKeySecrets.of(apiKeyHasher.hash(token)), 0, Optional.empty(), 1),
                AuditEvent.builder(ids, clock).organizationId(organizationId).actor(Actor.system("test"))
                        .action("api_key.created").target("api_key", keyId).requestId("test").build());
        return token.value();
    }

    /** The claims of a person's access token, verified against the table's key ring. */
    public AccessTokenClaims claims(Person person) {
        return new AccessTokenVerifier(keys, LambdaHarness.ISSUER, Set.of(LambdaHarness.ISSUER), clock)
                .verify(person.accessToken()).claims();
    }

    /** Ends the person's session, as a logout does. */
    public void endSession(Person person) {
        sessions().revoke(claims(person).sessionId().orElseThrow(), clock.instant(), SessionEndReason.LOGOUT);
    }

    /** Puts the person's access token on the deny-list, as {@code POST /oauth/revoke} does. */
    public void revokeAccessToken(Person person) {
        AccessTokenClaims claims = claims(person);
        sessions().denyAccessToken(claims.jwtId(), clock.instant(), claims.expiresAt().plus(Duration.ofMinutes(5)));
    }

    /**
     * A token of the person's (live) session for a resource with this audience, as a refresh with {@code resource}
     * issues it: no management marker, whatever the audience.
     */
    public String resourceToken(Person person, String audience) {
        Session session = sessions().find(claims(person).sessionId().orElseThrow()).orElseThrow();
        Resource resource = new Resource(ids.next(IdPrefix.RESOURCE), person.personalOrganizationId(), audience,
                "legacy", List.of("read"), clock.instant(), person.userId());
        return tokens.accessToken(session, Optional.of(new ResourceAccess(resource, List.of())));
    }

    private DynamoDbSessionRepository sessions() {
        return new DynamoDbSessionRepository(table.client(), EmulatedTable.TABLE);
    }

    /** The id generator these accounts use. */
    public SortableIdGenerator ids() {
        return ids;
    }
}
