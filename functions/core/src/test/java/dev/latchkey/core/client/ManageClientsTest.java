package dev.latchkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryPeppers;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link ManageClients}: create, list, show, update, delete, secrets, keys, limits, races, tenant isolation. */
class ManageClientsTest {

    private static final Instant T0 = Instant.parse("2026-03-12T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, random);
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final InMemoryClientRepository repository = new InMemoryClientRepository(audit);
    private final ClientSecretHasher hasher = new ClientSecretHasher(new InMemoryPeppers());
    private final ManageClients manage = new ManageClients(repository, hasher, ids, random, clock);
    private final String organizationId = ids.next(IdPrefix.ORGANIZATION);
    private final String ownerId = ids.next(IdPrefix.USER);
    private final OrgAccess owner = new OrgAccess(organizationId, new Caller.User(ownerId,
            ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());
    private final RequestOrigin origin = RequestOrigin.of("203.0.113.9", "req-1");
    private final String resourceId = ids.next(IdPrefix.RESOURCE);

    ManageClientsTest() {
        repository.putResource(organizationId, resourceId);
    }

    @Test
    void createWhenValidThenFirstSecretOnceOnlyHashStoredAndAudited() {
        CreatedClient created = manage.create(owner, new CreateClientCommand("  billing sync ", List.of(resourceId),
                true), origin);

        ServiceClient stored = repository.stored(created.client().clientId()).orElseThrow();
        assertThat(stored.name()).isEqualTo("billing sync");
        assertThat(stored.organizationId()).isEqualTo(organizationId);
        assertThat(stored.allowedResources()).containsExactly(resourceId);
        assertThat(stored.createdAt()).isEqualTo(T0);
        assertThat(stored.createdBy()).isEqualTo(ownerId);
        assertThat(stored.version()).isZero();
        CreatedClientSecret secret = created.secret().orElseThrow();
        assertThat(ClientSecretValue.wellFormed(secret.value())).isTrue();
        assertThat(stored.secrets()).hasSize(1);
        assertThat(hasher.matches(secret.value(), stored.secrets().get(0).hash())).isTrue();
        assertThat(secret.toString()).doesNotContain(secret.value());
        assertThat(repository.organizationVersion(organizationId)).isEqualTo(1);

        AuditEvent event = audit.events(ClientAudit.CREATED).get(0);
        assertThat(event.organizationId()).contains(organizationId);
        assertThat(event.target().orElseThrow().type()).isEqualTo("client");
        assertThat(event.target().orElseThrow().id()).isEqualTo(stored.clientId());
        assertThat(event.details()).containsEntry("auth_method", "client_secret")
                .containsEntry("allowed_resource_count", "1");
        assertNoSecretIn(event, secret.value(), stored.secrets().get(0).hash());
    }

    @Test
    void createWithoutSecretAndUnknownResource() {
        CreatedClient created = manage.create(owner, new CreateClientCommand("keys only", List.of(), false), origin);
        assertThat(created.secret()).isEmpty();
        assertThat(repository.stored(created.client().clientId()).orElseThrow().secrets()).isEmpty();

        String foreign = ids.next(IdPrefix.RESOURCE);
        repository.putResource(ids.next(IdPrefix.ORGANIZATION), foreign);
        assertThatThrownBy(() -> manage.create(owner, new CreateClientCommand("x", List.of(foreign), true), origin))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                        .containsEntry("reason", "UNKNOWN_RESOURCE"));
        assertThat(audit.events(ClientAudit.CREATED)).hasSize(1);
    }

    @Test
    void commandsRefuseBadFields() {
        assertReason(() -> new CreateClientCommand(" ", List.of(), true), "REQUIRED");
        assertReason(() -> new CreateClientCommand("a".repeat(101), List.of(), true), "TOO_LONG");
        assertReason(() -> new CreateClientCommand("a\u0000b", List.of(), true), "INVALID_CHARACTERS");
        assertReason(() -> new CreateClientCommand("a", List.of("usr_01"), true), "INVALID_FORMAT");
        assertReason(() -> new CreateClientCommand("a", List.of(resourceId, resourceId), true), "DUPLICATE");
        assertReason(() -> new UpdateClientCommand(Optional.empty(), Optional.empty()), "EMPTY");
        assertReason(() -> new NewClientKey(Optional.empty(), Optional.empty()), "ONE_OF");
        assertReason(() -> new NewClientKey(Optional.of(Map.of()), Optional.of("pem")), "ONE_OF");
        String clientId = created().clientId();
        assertReason(() -> manage.addSecret(owner, clientId, Optional.of(0), origin), "OUT_OF_RANGE");
        assertReason(() -> manage.addSecret(owner, clientId, Optional.of(731), origin), "OUT_OF_RANGE");
    }

    @Test
    void anotherOrganizationsClientIsNotFound() {
        ServiceClient client = created();
        OrgAccess stranger = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), new Caller.User(ids.next(IdPrefix.USER),
                ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());

        assertNotFound(() -> manage.show(stranger, client.clientId()));
        assertNotFound(() -> manage.update(stranger, client.clientId(), new UpdateClientCommand(Optional.of("x"),
                Optional.empty()), origin));
        assertNotFound(() -> manage.delete(stranger, client.clientId(), origin));
        assertNotFound(() -> manage.addSecret(stranger, client.clientId(), Optional.empty(), origin));
        assertNotFound(() -> manage.show(owner, "cli_nope"));
        assertNotFound(() -> manage.show(owner, ids.next(IdPrefix.CLIENT)));
        assertThat(manage.list(stranger, new ClientQuery(10, Optional.empty())).clients()).isEmpty();
    }

    @Test
    void listPagesNewestFirstWithoutCredentials() {
        ServiceClient first = created();
        clock.advance(Duration.ofSeconds(1));
        ServiceClient second = created();
        clock.advance(Duration.ofSeconds(1));
        ServiceClient third = created();

        ClientPage page = manage.list(owner, new ClientQuery(2, Optional.empty()));
        assertThat(page.clients()).extracting(ServiceClient::clientId)
                .containsExactly(third.clientId(), second.clientId());
        assertThat(page.clients()).allSatisfy(c -> assertThat(c.secrets()).isEmpty());
        ClientPage next = manage.list(owner, new ClientQuery(2, page.nextCursor()));
        assertThat(next.clients()).extracting(ServiceClient::clientId).containsExactly(first.clientId());
        assertThat(next.nextCursor()).isEmpty();
        OrgAccess other = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), owner.caller(), Role.OWNER.permissions());
        assertReason(() -> manage.list(other, new ClientQuery(2, page.nextCursor())), "INVALID");
    }

    @Test
    void updateRenamesAndReplacesResourcesAudited() {
        ServiceClient client = created();
        String second = ids.next(IdPrefix.RESOURCE);
        repository.putResource(organizationId, second);

        ServiceClient updated = manage.update(owner, client.clientId(), new UpdateClientCommand(
                Optional.of("renamed"), Optional.of(List.of(second))), origin);

        assertThat(updated.name()).isEqualTo("renamed");
        assertThat(repository.stored(client.clientId()).orElseThrow().allowedResources()).containsExactly(second);
        assertThat(audit.events(ClientAudit.UPDATED).get(0).details())
                .containsEntry("fields", "name,allowed_resources");
        assertReason(() -> manage.update(owner, client.clientId(), new UpdateClientCommand(Optional.empty(),
                Optional.of(List.of(ids.next(IdPrefix.RESOURCE)))), origin), "UNKNOWN_RESOURCE");
    }

    @Test
    void deleteRemovesClientAndGrantsAudited() {
        ServiceClient client = created();
        repository.putGrant(organizationId, resourceId, client.clientId());

        manage.delete(owner, client.clientId(), origin);

        assertThat(repository.stored(client.clientId())).isEmpty();
        assertThat(repository.hasGrant(organizationId, resourceId, client.clientId())).isFalse();
        assertThat(audit.events(ClientAudit.DELETED)).hasSize(1);
        assertNotFound(() -> manage.show(owner, client.clientId()));
    }

    @Test
    void secretsRotateWithinTheLimitAndRevokeAtOnce() {
        CreatedClient created = manage.create(owner, new CreateClientCommand("c", List.of(), true), origin);
        String clientId = created.client().clientId();
        String firstId = created.secret().orElseThrow().secret().secretId();

        CreatedClientSecret second = manage.addSecret(owner, clientId, Optional.of(30), origin);
        assertThat(second.secret().expiresAt()).contains(T0.plus(Duration.ofDays(30)));
        ClientSecret revoked = manage.revokeSecret(owner, clientId, firstId, origin);
        assertThat(revoked.revokedAt()).contains(T0);
        assertThat(manage.revokeSecret(owner, clientId, firstId, origin)).isEqualTo(revoked);

        ServiceClient shown = manage.show(owner, clientId);
        assertThat(shown.usableSecrets(T0)).extracting(ClientSecret::secretId)
                .containsExactly(second.secret().secretId());
        assertThat(audit.events(ClientAudit.SECRET_ADDED)).hasSize(1);
        AuditEvent revokedEvent = audit.events(ClientAudit.SECRET_REVOKED).get(0);
        assertThat(revokedEvent.target().orElseThrow().id()).isEqualTo(firstId);
        assertThat(revokedEvent.details()).containsEntry("client_id", clientId);
        assertThat(audit.events(ClientAudit.SECRET_REVOKED)).hasSize(1);
        assertNoSecretIn(audit.events(ClientAudit.SECRET_ADDED).get(0), second.value(), second.secret().hash());
        assertThatThrownBy(() -> manage.revokeSecret(owner, clientId, ids.next(IdPrefix.CLIENT_SECRET), origin))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.NOT_FOUND));

        clock.advance(Duration.ofDays(30));
        assertThat(manage.show(owner, clientId).usableSecrets(clock.instant())).isEmpty();
    }

    @Test
    void atMostFiveUsableSecrets() {
        String clientId = created().clientId();
        for (int i = 0; i < 4; i++) {
            manage.addSecret(owner, clientId, Optional.empty(), origin);
        }
        assertConflict(() -> manage.addSecret(owner, clientId, Optional.empty(), origin), "TOO_MANY_SECRETS");

        String one = manage.show(owner, clientId).secrets().get(0).secretId();
        manage.revokeSecret(owner, clientId, one, origin);
        manage.addSecret(owner, clientId, Optional.empty(), origin);
        assertThat(manage.show(owner, clientId).usableSecrets(T0)).hasSize(5);
    }

    @Test
    void aRacingChangeIsReadAgainAndStillRespectsTheLimit() {
        String clientId = created().clientId();
        for (int i = 0; i < 3; i++) {
            manage.addSecret(owner, clientId, Optional.empty(), origin);
        }
        repository.beforeNextChange(() -> manage.addSecret(owner, clientId, Optional.empty(), origin));

        assertConflict(() -> manage.addSecret(owner, clientId, Optional.empty(), origin), "TOO_MANY_SECRETS");
        assertThat(manage.show(owner, clientId).usableSecrets(T0)).hasSize(5);

        String one = manage.show(owner, clientId).secrets().get(0).secretId();
        manage.revokeSecret(owner, clientId, one, origin);
        String two = manage.show(owner, clientId).secrets().get(1).secretId();
        repository.beforeNextChange(() -> manage.revokeSecret(owner, clientId, two, origin));
        manage.addSecret(owner, clientId, Optional.empty(), origin);
        assertThat(manage.show(owner, clientId).usableSecrets(T0)).hasSize(4);
    }

    @Test
    void keysFromJwkAndCertificateWithDuplicatesKidsAndLimits() {
        String clientId = created().clientId();
        KeyPair ed = ClientKeyFixture.ed25519();
        ClientKey added = manage.addKey(owner, clientId, jwk(ed), origin);
        assertThat(added.algorithm()).isEqualTo(ClientPublicKeys.EDDSA);
        assertThat(added.createdBy()).isEqualTo(ownerId);
        AuditEvent event = audit.events(ClientAudit.KEY_ADDED).get(0);
        assertThat(event.target().orElseThrow().id()).isEqualTo(added.keyId());
        assertThat(event.details()).containsEntry("client_id", clientId).containsEntry("algorithm", "EdDSA")
                .containsEntry("source", "jwk").containsEntry("kid", added.kid());

        String pem = ClientCertificateFixture.certificate(ed.getPublic(), T0.minusSeconds(60),
                T0.plus(Duration.ofDays(1)));
        assertConflict(() -> manage.addKey(owner, clientId, new NewClientKey(Optional.empty(), Optional.of(pem)),
                origin), "KEY_EXISTS");

        Map<String, Object> sameKid = ClientKeyFixture.jwk(ClientKeyFixture.p256().getPublic());
        sameKid.put("kid", added.kid());
        assertConflict(() -> manage.addKey(owner, clientId, new NewClientKey(Optional.of(sameKid), Optional.empty()),
                origin), "KID_TAKEN");

        KeyPair certified = ClientKeyFixture.p256();
        ClientKey fromCertificate = manage.addKey(owner, clientId, new NewClientKey(Optional.empty(),
                Optional.of(ClientCertificateFixture.certificate(certified.getPublic(), T0.minusSeconds(60),
                        T0.plus(Duration.ofDays(1))))), origin);
        assertThat(fromCertificate.notAfter()).isPresent();
        assertThat(audit.events(ClientAudit.KEY_ADDED).get(1).details()).containsEntry("source", "certificate");

        manage.revokeKey(owner, clientId, added.keyId(), origin);
        assertConflict(() -> manage.addKey(owner, clientId, jwk(ed), origin), "KEY_EXISTS");
        manage.addKey(owner, clientId, new NewClientKey(Optional.of(sameKid), Optional.empty()), origin);
        assertThat(audit.events(ClientAudit.KEY_REVOKED)).hasSize(1);

        for (int i = 0; i < 8; i++) {
            manage.addKey(owner, clientId, jwk(ClientKeyFixture.ed25519()), origin);
        }
        assertConflict(() -> manage.addKey(owner, clientId, jwk(ClientKeyFixture.ed25519()), origin),
                "TOO_MANY_KEYS");
        clock.advance(Duration.ofDays(2));
        manage.addKey(owner, clientId, jwk(ClientKeyFixture.ed25519()), origin);
        assertThatThrownBy(() -> manage.revokeKey(owner, clientId, ids.next(IdPrefix.CLIENT_KEY), origin))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void aPrivateJwkIsRefusedBeforeAnythingIsRead() {
        String clientId = created().clientId();
        Map<String, Object> jwk = ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic());
        jwk.put("d", "AAAA");
        int finds = repository.finds();

        assertReason(() -> manage.addKey(owner, clientId, new NewClientKey(Optional.of(jwk), Optional.empty()),
                origin), "PRIVATE_KEY_MATERIAL");
        assertThat(repository.finds()).isEqualTo(finds);
    }

    private ServiceClient created() {
        return manage.create(owner, new CreateClientCommand("client", List.of(resourceId), true), origin).client();
    }

    private static NewClientKey jwk(KeyPair pair) {
        return new NewClientKey(Optional.of(ClientKeyFixture.jwk(pair.getPublic())), Optional.empty());
    }

    private static void assertNoSecretIn(AuditEvent event, String secret, byte[] hash) {
        String printed = event.toString() + event.details();
        assertThat(printed).doesNotContain(secret).doesNotContain(secret.substring(5))
                .doesNotContain(HexFormat.of().formatHex(hash));
    }

    private static void assertReason(Runnable action, String reason) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.details())
                .containsEntry("reason", reason));
    }

    private static void assertConflict(Runnable action, String reason) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ClientException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
            assertThat(e.details()).containsEntry("reason", reason);
        });
    }

    private static void assertNotFound(Runnable action) {
        assertThatThrownBy(action::run).isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.NOT_FOUND));
    }
}
