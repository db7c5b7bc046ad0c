package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.principal.AccessException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** IP allow-lists and owner metadata (issue 21 §3–§4) on verify, authenticate and create. */
class ApiKeyOwnerDataTest {

    private final ApiKeyFixture f = new ApiKeyFixture();
    private final VerifyApiKey audited = new VerifyApiKey(f.repository, f.hasher, f.limiter, f.usage, f.cache,
            f.clock, f.audit, f.ids);

    private CreatedApiKey create(ApiKeyOwnerData owner) {
        return f.manage.create(f.owner, new CreateApiKeyCommand("customer", List.of("api_key:create"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(), owner),
                ApiKeyFixture.ORIGIN);
    }

    private static ApiKeyOwnerData allow(String... ranges) {
        return new ApiKeyOwnerData(ApiKeyOwnerData.ranges(List.of(ranges)), Optional.empty(), Optional.empty());
    }

    private Verification verifyFrom(CreatedApiKey key, String ip) {
        return audited.verify(key.token().value(), Optional.empty(),
                new VerifyOptions(1, Optional.empty(), 1, Optional.ofNullable(ip)));
    }

    @Test
    @DisplayName("[SECURITY API keys] a verify from outside the allow-list, or without an address, is "
            + "IP_NOT_ALLOWED and audited; inside it is valid")
    void verifyWhenOutsideAllowListThenIpNotAllowedAndAudited() {
        CreatedApiKey key = create(allow("203.0.113.0/24", "2001:db8::/32"));

        assertThat(verifyFrom(key, "203.0.113.77").valid()).isTrue();
        assertThat(verifyFrom(key, "2001:db8::5").valid()).isTrue();
        assertThat(verifyFrom(key, "198.51.100.1").failure()).contains(VerificationFailure.IP_NOT_ALLOWED);
        assertThat(verifyFrom(key, null).failure()).contains(VerificationFailure.IP_NOT_ALLOWED);

        assertThat(f.audit.events(ApiKeyAudit.IP_DENIED)).hasSize(2).allSatisfy(event -> {
            assertThat(event.organizationId()).contains(f.organizationId);
            assertThat(event.target().map(t -> t.id())).contains(key.key().id());
        });
        assertThat(f.audit.events(ApiKeyAudit.IP_DENIED)).extracting(e -> e.details().get("reason"))
                .containsExactly("NOT_IN_ALLOW_LIST", "NO_CLIENT_IP");
        assertThat(f.repository.usageWrites()).isEqualTo(1);
    }

    @Test
    @DisplayName("a key presented to Latchkey is checked against the caller's own source address")
    void authenticateWhenSourceOutsideAllowListThenRefused() {
        CreatedApiKey key = create(allow("203.0.113.0/24"));

        assertThat(audited.authenticate(key.token().value(), Optional.of("203.0.113.9")).keyId())
                .isEqualTo(key.key().id());
        assertThatThrownBy(() -> audited.authenticate(key.token().value(), Optional.of("198.51.100.9")))
                .isInstanceOf(AccessException.class);
    }

    @Test
    @DisplayName("a key made by an IP-restricted key gets its maker's allow-list, or a narrower one, never wider")
    void createWhenMakerRestrictedThenChildWithinItsAllowList() {
        CreatedApiKey maker = create(allow("10.0.0.0/8"));
        var access = f.asStoredKey(f.stored(maker.key().id()));

        CreatedApiKey inherits = f.manage.create(access, ApiKeyFixture.command().build(), ApiKeyFixture.ORIGIN);
        CreatedApiKey narrower = f.manage.create(access, new CreateApiKeyCommand("n", List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), allow("10.1.0.0/16")),
                ApiKeyFixture.ORIGIN);
        Throwable wider = org.assertj.core.api.Assertions.catchThrowable(() -> f.manage.create(access,
                new CreateApiKeyCommand("w", List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of(), allow("0.0.0.0/0")), ApiKeyFixture.ORIGIN));

        assertThat(f.stored(inherits.key().id()).owner().allowedIps()).extracting(IpRange::text)
                .containsExactly("10.0.0.0/8");
        assertThat(f.stored(narrower.key().id()).owner().allowedIps()).extracting(IpRange::text)
                .containsExactly("10.1.0.0/16");
        assertThat(wider).isInstanceOf(AccessException.class);
        assertThat(((LatchkeyException) wider).details()).containsEntry("reason", "LOOSER_THAN_CALLER");
    }

    @Test
    @DisplayName("external id and meta come back with the key; keys are found by external id; bounds hold")
    void ownerWhenExternalIdAndMetaThenStoredFoundAndBounded() {
        CreatedApiKey key = create(new ApiKeyOwnerData(List.of(), Optional.of("tenant_42"),
                Optional.of("{\"plan\":\"pro\"}")));
        create(new ApiKeyOwnerData(List.of(), Optional.of("tenant_7"), Optional.empty()));

        Verification verification = f.verify(key.token());

        assertThat(verification.key().orElseThrow().owner().meta()).contains("{\"plan\":\"pro\"}");
        assertThat(f.manage.listByExternalId(f.owner, "tenant_42", 50)).extracting(ApiKey::id)
                .containsExactly(key.key().id());
        assertThatThrownBy(() -> new ApiKeyOwnerData(List.of(), Optional.of("has space"), Optional.empty()))
                .isInstanceOf(ApiKeyException.class);
        assertThatThrownBy(() -> new ApiKeyOwnerData(List.of(), Optional.empty(),
                Optional.of("{\"x\":\"" + "a".repeat(4100) + "\"}"))).isInstanceOf(ApiKeyException.class);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("10.0." + i + ".0/24");
        }
        assertThatThrownBy(() -> ApiKeyOwnerData.ranges(many)).isInstanceOf(ApiKeyException.class)
                .hasMessageContaining("at most 100");
        assertThatThrownBy(() -> ApiKeyOwnerData.ranges(List.of("intranet"))).isInstanceOf(ApiKeyException.class);
    }
}
