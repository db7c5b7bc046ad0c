package dev.latchkey.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.InMemoryAuditLog;
import dev.latchkey.core.client.ClientSecretHasher;
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
import java.util.List;
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
}
