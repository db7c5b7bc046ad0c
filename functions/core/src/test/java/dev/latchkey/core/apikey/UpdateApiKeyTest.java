package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.principal.AccessException;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.ratelimit.RateLimit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Changing a key's settings after create (docs/api-keys.md "Changing a key"; issue 21 §4) on in-memory fakes. */
class UpdateApiKeyTest {

    private final ApiKeyFixture fixture = new ApiKeyFixture();

    private static ApiKeyUpdate change(Set<ApiKeyUpdate.Field> fields, Optional<String> externalId,
            Optional<String> meta, Optional<RateLimit> rateLimit, List<NamedRateLimit> named, List<String> ips) {
        return new ApiKeyUpdate(fields, externalId, meta, rateLimit, named, ApiKeyOwnerData.ranges(ips));
    }

    private static ApiKeyUpdate externalId(String id) {
        return change(EnumSet.of(ApiKeyUpdate.Field.EXTERNAL_ID), Optional.ofNullable(id), Optional.empty(),
                Optional.empty(), List.of(), List.of());
    }

    private static ApiKeyUpdate allowedIps(String... ranges) {
        return change(EnumSet.of(ApiKeyUpdate.Field.ALLOWED_IPS), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), List.of(ranges));
    }

    private CreatedApiKey withExternalId(String id) {
        return fixture.manage.create(fixture.owner, new CreateApiKeyCommand("tenant", List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), new ApiKeyOwnerData(List.of(),
                        Optional.of(id), Optional.of("{\"plan\":\"free\"}"))), ApiKeyFixture.ORIGIN);
    }

    @Test
    @DisplayName("a new external id moves the key in the index: listed under the new id only; meta kept; audited")
    void updateWhenExternalIdChangesThenListedUnderTheNewIdOnlyAndAudited() {
        CreatedApiKey created = withExternalId("tenant_1");

        ApiKey updated = fixture.manage.update(fixture.owner, created.key().id(), externalId("tenant_2"),
                ApiKeyFixture.ORIGIN);

        assertThat(updated.owner().externalId()).contains("tenant_2");
        assertThat(updated.owner().meta()).contains("{\"plan\":\"free\"}");
        assertThat(fixture.manage.listByExternalId(fixture.owner, "tenant_1", 10)).isEmpty();
        assertThat(fixture.manage.listByExternalId(fixture.owner, "tenant_2", 10)).extracting(ApiKey::id)
                .containsExactly(created.key().id());
        assertThat(fixture.verify(created.token()).key().orElseThrow().owner().externalId()).contains("tenant_2");
        AuditEvent event = fixture.audit.events().get(fixture.audit.events().size() - 1);
        assertThat(event.action()).isEqualTo("api_key.updated");
        assertThat(event.details()).containsEntry("fields", "external_id");

        fixture.manage.update(fixture.owner, created.key().id(), externalId(null), ApiKeyFixture.ORIGIN);
        assertThat(fixture.manage.listByExternalId(fixture.owner, "tenant_2", 10)).isEmpty();
        assertThat(fixture.stored(created.key().id()).owner().externalId()).isEmpty();
    }

    @Test
    @DisplayName("meta is replaced (≤ 4 KB) and returned by the next verify; over 4 KB is 400")
    void updateWhenMetaThenVerifyReturnsItAndOversizedRefused() {
        CreatedApiKey created = withExternalId("tenant_1");
        ApiKeyUpdate meta = change(EnumSet.of(ApiKeyUpdate.Field.META), Optional.empty(),
                Optional.of("{\"plan\":\"pro\"}"), Optional.empty(), List.of(), List.of());

        fixture.manage.update(fixture.owner, created.key().id(), meta, ApiKeyFixture.ORIGIN);

        assertThat(fixture.verify(created.token()).key().orElseThrow().owner().meta()).contains("{\"plan\":\"pro\"}");
        assertThatThrownBy(() -> change(EnumSet.of(ApiKeyUpdate.Field.META), Optional.empty(),
                Optional.of("{\"x\":\"" + "a".repeat(ApiKeyOwnerData.MAX_META_BYTES) + "\"}"), Optional.empty(),
                List.of(), List.of())).isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.details()).containsEntry("field", "meta"));
        assertThatThrownBy(() -> change(EnumSet.noneOf(ApiKeyUpdate.Field.class), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), List.of())).isInstanceOf(ApiKeyException.class);
    }

    @Test
    @DisplayName("named limits are replaced: the new one applies at once, the removed one is unknown")
    void updateWhenNamedLimitsReplacedThenVerifyAppliesTheNewOnes() {
        ApiKeyToken token = fixture.manage.create(fixture.owner, new CreateApiKeyCommand("llm", List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(new NamedRateLimit("tokens", RateLimit.perSeconds(1000, 60)))), ApiKeyFixture.ORIGIN).token();
        ApiKeyUpdate limits = change(EnumSet.of(ApiKeyUpdate.Field.RATE_LIMITS, ApiKeyUpdate.Field.RATE_LIMIT),
                Optional.empty(), Optional.empty(), Optional.of(RateLimit.perSeconds(5, 60)),
                List.of(new NamedRateLimit("images", RateLimit.perSeconds(2, 60))), List.of());

        ApiKey updated = fixture.manage.update(fixture.owner, token.keyId(), limits, ApiKeyFixture.ORIGIN);

        assertThat(updated.allRateLimits()).extracting(NamedRateLimit::name).containsExactly("default", "images");
        VerifyOptions images = new VerifyOptions(1, Optional.of("images"), 1);
        assertThat(fixture.verify.verify(token.value(), Optional.empty(), images).valid()).isTrue();
        assertThat(fixture.verify.verify(token.value(), Optional.empty(), images).valid()).isTrue();
        assertThat(fixture.verify.verify(token.value(), Optional.empty(), images).failure())
                .contains(VerificationFailure.RATE_LIMITED);
        assertThatThrownBy(() -> fixture.verify.verify(token.value(), Optional.empty(),
                new VerifyOptions(1, Optional.of("tokens"), 1))).isInstanceOf(ApiKeyException.class);
        assertThat(fixture.verify(token).rateLimit().orElseThrow().limit()).isEqualTo(5);
    }

    @Test
    @DisplayName("[SECURITY API keys] a new allow-list counts on the next verify: outside it is IP_NOT_ALLOWED")
    void updateWhenAllowListSetThenNextVerifyFromOutsideRefused() {
        ApiKeyToken token = fixture.create().token();
        VerifyOptions outside = new VerifyOptions(1, Optional.empty(), 1, Optional.of("198.51.100.7"));
        assertThat(fixture.verify.verify(token.value(), Optional.empty(), outside).valid()).isTrue();

        fixture.manage.update(fixture.owner, token.keyId(), allowedIps("203.0.113.0/24"), ApiKeyFixture.ORIGIN);

        assertThat(fixture.verify.verify(token.value(), Optional.empty(), outside).failure())
                .contains(VerificationFailure.IP_NOT_ALLOWED);
        fixture.manage.update(fixture.owner, token.keyId(), allowedIps(), ApiKeyFixture.ORIGIN);
        assertThat(fixture.verify.verify(token.value(), Optional.empty(), outside).valid()).isTrue();
    }

    @Test
    @DisplayName("[SECURITY API keys] an API key cannot change itself or its maker (NOT_OWN_FAMILY), only keys it made")
    void updateWhenApiKeyChangesItselfThenForbidden() {
        OrgAccess maker = fixture.asKey(List.of(Permissions.API_KEY_CREATE), Optional.empty(),
                Optional.of(RateLimit.perSeconds(10, 60)));
        String makerId = ((dev.latchkey.core.principal.Caller.ApiKey) maker.caller()).keyId();
        CreatedApiKey child = fixture.manage.create(maker, ApiKeyFixture.command().build(), ApiKeyFixture.ORIGIN);
        OrgAccess childAccess = fixture.asStoredKey(fixture.stored(child.key().id()));

        assertThatThrownBy(() -> fixture.manage.update(maker, makerId, externalId("me"), ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(AccessException.class, e -> assertThat(e.details())
                        .containsEntry("reason", "NOT_OWN_FAMILY"));
        assertThatThrownBy(() -> fixture.manage.update(childAccess, makerId, externalId("up"), ApiKeyFixture.ORIGIN))
                .isInstanceOf(AccessException.class);
        assertThat(fixture.manage.update(maker, child.key().id(), externalId("mine"), ApiKeyFixture.ORIGIN)
                .owner().externalId()).contains("mine");
    }

    @Test
    @DisplayName("[SECURITY API keys] a key made by a key stays within its maker: no looser limit; a key that can make "
            + "keys keeps its limit and allow-list (MAKER_KEY)")
    void updateWhenLooserThanMakerOrOfAMakerKeyThenRefused() {
        OrgAccess maker = fixture.asKey(List.of(Permissions.API_KEY_CREATE), Optional.empty(),
                Optional.of(RateLimit.perSeconds(10, 60)));
        String makerId = ((dev.latchkey.core.principal.Caller.ApiKey) maker.caller()).keyId();
        CreatedApiKey child = fixture.manage.create(maker, ApiKeyFixture.command().build(), ApiKeyFixture.ORIGIN);
        ApiKeyUpdate looser = change(EnumSet.of(ApiKeyUpdate.Field.RATE_LIMIT), Optional.empty(), Optional.empty(),
                Optional.of(RateLimit.perSeconds(100, 60)), List.of(), List.of());

        assertThatThrownBy(() -> fixture.manage.update(fixture.owner, child.key().id(), looser, ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(AccessException.class, e -> assertThat(e.details())
                        .containsEntry("reason", "LOOSER_THAN_CALLER"));
        assertThatThrownBy(() -> fixture.manage.update(fixture.owner, makerId, looser, ApiKeyFixture.ORIGIN))
                .isInstanceOfSatisfying(ApiKeyException.class, e -> assertThat(e.details())
                        .containsEntry("reason", "MAKER_KEY"));
        assertThat(fixture.manage.update(fixture.owner, makerId, externalId("ops"), ApiKeyFixture.ORIGIN)
                .owner().externalId()).contains("ops");
    }

    @Test
    @DisplayName("a key of another organization is 404; a revoked key does not change (409)")
    void updateWhenOtherOrganizationOrRevokedThenRefused() {
        ApiKeyToken token = fixture.create().token();

        assertThatThrownBy(() -> fixture.manage.update(fixture.otherOrganizationOwner(), token.keyId(),
                externalId("x"), ApiKeyFixture.ORIGIN)).isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.code().name()).isEqualTo("NOT_FOUND"));
        fixture.manage.revoke(fixture.owner, token.keyId(), Optional.empty(), ApiKeyFixture.ORIGIN);
        assertThatThrownBy(() -> fixture.manage.update(fixture.owner, token.keyId(), externalId("x"),
                ApiKeyFixture.ORIGIN)).isInstanceOfSatisfying(ApiKeyException.class,
                        e -> assertThat(e.details()).containsEntry("reason", "REVOKED"));
    }
}
