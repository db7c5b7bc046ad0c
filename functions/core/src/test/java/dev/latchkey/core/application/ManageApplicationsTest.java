package dev.latchkey.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.client.ClientException;
import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientKeyFixture;
import dev.latchkey.core.client.ClientSecretHasher;
import dev.latchkey.core.client.NewClientKey;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.id.SortableIdGenerator;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.RequestOrigin;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.InMemoryPeppers;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Registering and managing applications on in-memory fakes: the rules per field, secrets shown once, audit. */
class ManageApplicationsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final SortableIdGenerator ids = new SortableIdGenerator(clock, new SecureRandom());
    private final InMemoryAuditLog audit = new InMemoryAuditLog(clock);
    private final InMemoryApplications store = new InMemoryApplications(audit);
    private final ClientSecretHasher hasher = new ClientSecretHasher(new InMemoryPeppers());
    private final ManageApplications manage = new ManageApplications(store, hasher, ids, new SecureRandom(), clock);
    private final OrgAccess owner = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), new Caller.User(
            ids.next(IdPrefix.USER), ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());
    private final RequestOrigin origin = RequestOrigin.of("203.0.113.9", "req-1");

    private static ApplicationSettings settings(String type, List<String> redirectUris) {
        return new ApplicationSettings(Optional.of("Portal"), Optional.of(type), Optional.empty(),
                Optional.of(redirectUris), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Test
    void createWhenConfidentialThenClientSecretBasicAndTheSecretShownOnceAndStoredHashed() {
        CreatedApplication created = manage.create(owner, settings("confidential",
                List.of("https://rp.example/cb")), origin);

        Application app = created.application();
        assertThat(app.clientId()).startsWith("app_");
        assertThat(app.tokenEndpointAuthMethod()).isEqualTo(TokenEndpointAuthMethod.CLIENT_SECRET_BASIC);
        assertThat(app.scopes()).containsExactly("openid", "profile", "email");
        assertThat(created.secret()).hasValueSatisfying(secret -> {
            assertThat(secret).startsWith("lkcs_");
            assertThat(hasher.matches(secret, app.secrets().get(0).hash())).isTrue();
        });
        assertThat(created.toString()).doesNotContain(created.secret().get());
        assertThat(audit.events("application.created")).hasSize(1);
        assertThat(manage.show(owner, app.clientId())).isEqualTo(app);
    }

    @Test
    void createWhenPublicThenNoneAndNoSecret() {
        CreatedApplication created = manage.create(owner, settings("public", List.of("http://127.0.0.1/cb")),
                origin);

        assertThat(created.application().tokenEndpointAuthMethod()).isEqualTo(TokenEndpointAuthMethod.NONE);
        assertThat(created.secret()).isEmpty();
    }

    @Test
    void createWhenAFieldBreaksARuleThen400NamingIt() {
        assertThat(field(settings("public", List.of("http://rp.example/cb")))).isEqualTo("redirect_uris");
        assertThat(field(settings("public", List.of()))).isEqualTo("redirect_uris");
        assertThat(field(settings("other", List.of("https://rp.example/cb")))).isEqualTo("type");
        assertThat(field(new ApplicationSettings(Optional.of("P"), Optional.of("public"),
                Optional.of("client_secret_post"), Optional.of(List.of("https://rp.example/cb")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()))).isEqualTo("token_endpoint_auth_method");
        assertThat(field(new ApplicationSettings(Optional.of("P"), Optional.of("public"), Optional.empty(),
                Optional.of(List.of("https://rp.example/cb")), Optional.empty(), Optional.of(List.of("email")),
                Optional.empty(), Optional.empty()))).isEqualTo("scopes");
        assertThat(field(new ApplicationSettings(Optional.of("P"), Optional.of("public"), Optional.empty(),
                Optional.of(List.of("https://rp.example/cb")), Optional.of(List.of("javascript:alert(1)")),
                Optional.empty(), Optional.empty(), Optional.empty()))).isEqualTo("post_logout_redirect_uris");
        assertThat(field(new ApplicationSettings(Optional.of("P"), Optional.of("public"), Optional.empty(),
                Optional.of(List.of("https://rp.example/cb")), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("HS256")))).isEqualTo("id_token_signed_response_alg");
    }

    private String field(ApplicationSettings settings) {
        ApplicationException e = catchThrowableOfType(ApplicationException.class,
                () -> manage.create(owner, settings, origin));
        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        return (String) e.details().get("field");
    }

    @Test
    void updateWhenSettingsChangeThenStoredAuditedAndTypeImmutable() {
        Application app = manage.create(owner, settings("public", List.of("https://rp.example/cb")), origin)
                .application();

        Application updated = manage.update(owner, app.clientId(), new ApplicationSettings(Optional.of("Renamed"),
                Optional.empty(), Optional.empty(), Optional.of(List.of("https://rp.example/new")), Optional.empty(),
                Optional.empty(), Optional.of(true), Optional.of("ES256")), origin);

        assertThat(updated.name()).isEqualTo("Renamed");
        assertThat(updated.redirectUris()).containsExactly("https://rp.example/new");
        assertThat(updated.firstParty()).isTrue();
        assertThat(updated.idTokenSignedResponseAlg()).isEqualTo(IdTokenAlgorithm.ES256);
        assertThat(audit.events("application.updated")).hasSize(1);
        ApplicationException immutable = catchThrowableOfType(ApplicationException.class, () -> manage.update(owner,
                app.clientId(), new ApplicationSettings(Optional.empty(), Optional.of("confidential"),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()), origin));
        assertThat(immutable.details()).containsEntry("reason", "IMMUTABLE");
    }

    @Test
    void rotateSecretWhenConfidentialThenOnlyTheNewSecretWorks() {
        CreatedApplication created = manage.create(owner, settings("confidential",
                List.of("https://rp.example/cb")), origin);

        CreatedApplication rotated = manage.rotateSecret(owner, created.application().clientId(), origin);

        Application stored = store.find(created.application().clientId()).orElseThrow();
        assertThat(stored.usableSecrets(clock.instant())).hasSize(1);
        assertThat(hasher.matches(rotated.secret().orElseThrow(), stored.usableSecrets(clock.instant()).get(0)
                .hash())).isTrue();
        assertThat(hasher.matches(created.secret().orElseThrow(), stored.usableSecrets(clock.instant()).get(0)
                .hash())).isFalse();
        assertThat(audit.events("application.secret_rotated")).hasSize(1);
    }

    @Test
    void showOrDeleteWhenAnotherOrganizationsApplicationThenNotFound() {
        Application app = manage.create(owner, settings("public", List.of("https://rp.example/cb")), origin)
                .application();
        OrgAccess other = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), owner.caller(), Role.OWNER.permissions());

        ApplicationException e = catchThrowableOfType(ApplicationException.class,
                () -> manage.show(other, app.clientId()));
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(catchThrowableOfType(ApplicationException.class, () -> manage.delete(other, app.clientId(),
                origin)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        manage.delete(owner, app.clientId(), origin);
        assertThat(store.find(app.clientId())).isEmpty();
        assertThat(audit.events("application.deleted")).hasSize(1);
    }

    private Application keyApplication() {
        return manage.create(owner, new ApplicationSettings(Optional.of("Backend"), Optional.of("confidential"),
                Optional.of("private_key_jwt"), Optional.of(List.of("https://rp.example/cb")), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()), origin).application();
    }

    private static NewClientKey jwk(Map<String, Object> jwk) {
        return new NewClientKey(Optional.of(jwk), Optional.empty());
    }

    @Test
    void addKeyWhenPrivateKeyJwtThenStoredAuditedWithoutMaterialAndRevocableOnce() {
        Application app = keyApplication();
        Map<String, Object> jwk = ClientKeyFixture.jwk(ClientKeyFixture.p256().getPublic());
        jwk.put("kid", "rp-2026");

        ClientKey key = manage.addKey(owner, app.clientId(), jwk(jwk), origin);

        assertThat(key.keyId()).startsWith("ck_");
        assertThat(key.kid()).isEqualTo("rp-2026");
        assertThat(key.algorithm()).isEqualTo("ES256");
        assertThat(store.find(app.clientId()).orElseThrow().keys()).containsExactly(key);
        AuditEvent added = audit.events("application.key_added").get(0);
        assertThat(added.organizationId()).contains(owner.organizationId());
        assertThat(added.details()).containsEntry("client_id", app.clientId()).containsEntry("algorithm", "ES256")
                .containsEntry("source", "jwk").containsEntry("kid", "rp-2026");
        assertThat(added.toString()).doesNotContain((String) jwk.get("x"));

        ClientKey revoked = manage.revokeKey(owner, app.clientId(), key.keyId(), origin);
        assertThat(revoked.revokedAt()).contains(clock.instant());
        assertThat(store.find(app.clientId()).orElseThrow().keys().get(0).usableAt(clock.instant())).isFalse();
        assertThat(manage.revokeKey(owner, app.clientId(), key.keyId(), origin)).isEqualTo(revoked);
        assertThat(audit.events("application.key_revoked")).hasSize(1);
    }

    @Test
    void addKeyWhenTheApplicationAuthenticatesOtherwiseThen409AndNothingStored() {
        Application secret = manage.create(owner, settings("confidential", List.of("https://rp.example/cb")),
                origin).application();
        Map<String, Object> jwk = ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic());

        ApplicationException e = catchThrowableOfType(ApplicationException.class,
                () -> manage.addKey(owner, secret.clientId(), jwk(jwk), origin));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(e.details()).containsEntry("reason", "NO_KEY_METHOD");
        assertThat(store.find(secret.clientId()).orElseThrow().keys()).isEmpty();
        assertThat(audit.events("application.key_added")).isEmpty();
    }

    @Test
    void addKeyWhenTheServiceClientRulesRefuseThenTheirErrors() {
        Application app = keyApplication();
        Map<String, Object> jwk = ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic());
        manage.addKey(owner, app.clientId(), jwk(jwk), origin);

        ClientException duplicate = catchThrowableOfType(ClientException.class,
                () -> manage.addKey(owner, app.clientId(), jwk(jwk), origin));
        assertThat(duplicate.details()).containsEntry("reason", "KEY_EXISTS");
        Map<String, Object> rsa = new LinkedHashMap<>(Map.of("kty", "RSA", "n", "AQAB", "e", "AQAB"));
        assertThat(catchThrowableOfType(ClientException.class, () -> manage.addKey(owner, app.clientId(), jwk(rsa),
                origin)).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        Map<String, Object> withPrivate = ClientKeyFixture.jwk(ClientKeyFixture.ed25519().getPublic());
        withPrivate.put("d", "c2VjcmV0");
        assertThat(catchThrowableOfType(ClientException.class, () -> manage.addKey(owner, app.clientId(),
                jwk(withPrivate), origin)).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(store.find(app.clientId()).orElseThrow().keys()).hasSize(1);
    }

    @Test
    void revokeKeyWhenUnknownKeyOrAnotherOrganizationThenNotFound() {
        Application app = keyApplication();
        ClientKey key = manage.addKey(owner, app.clientId(), jwk(ClientKeyFixture.jwk(ClientKeyFixture.ed25519()
                .getPublic())), origin);
        OrgAccess other = new OrgAccess(ids.next(IdPrefix.ORGANIZATION), owner.caller(), Role.OWNER.permissions());

        assertThat(catchThrowableOfType(ApplicationException.class, () -> manage.revokeKey(owner, app.clientId(),
                "ck_01JD3ZP6D9T7Y2W6Q8S1V4X3N7", origin)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(catchThrowableOfType(ApplicationException.class, () -> manage.revokeKey(other, app.clientId(),
                key.keyId(), origin)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(store.find(app.clientId()).orElseThrow().keys().get(0).revokedAt()).isEmpty();
    }
}
