package dev.latchkey.core.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.MfaRequiredException;
import dev.latchkey.core.access.Role;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mfa.PendingTotp;
import dev.latchkey.core.mfa.StepUp;
import dev.latchkey.core.mfa.TotpFactor;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.StepUpRequiredException;
import dev.latchkey.core.vault.SealedSecret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /v1/orgs/{orgId}} {@code {require_mfa}} (issue 14 item 5): turning it on needs the caller's own
 * multi-factor sign-in (nobody locks themselves out), turning it off a step-up; each change audited
 * ({@code org.mfa_policy_changed}) in the same write; an API key with {@code org:update} may; nothing given is 400.
 */
class RequireMfaPolicyTest {

    private final OrgFixture f = new OrgFixture();

    private OrgAccess owner(List<String> amr, Instant authTime) {
        return new OrgAccess(f.organizationId, new Caller.User(f.ownerId, f.ids.next(IdPrefix.SESSION), amr,
                Optional.of(authTime)), Role.OWNER.permissions());
    }

    private OrgAccess ownerWithMfa() {
        return owner(List.of("pwd", "otp", "mfa"), f.clock.instant());
    }

    private void enrolOwner() {
        SealedSecret secret = SealedSecret.of(new byte[] {1, 2, 3});
        f.factors.savePending(new PendingTotp(f.ownerId, secret, f.clock.instant(),
                f.clock.instant().plusSeconds(600)));
        assertThat(f.factors.activate(new TotpFactor(f.ownerId, secret, f.clock.instant(), Optional.empty(), 0),
                List.of())).isTrue();
    }

    @Test
    void updateWhenOwnerSignedInWithSecondFactorTurnsRequireMfaOnThenStoredAndAudited() {
        enrolOwner();

        Organization updated = f.organizations.update(ownerWithMfa(), Optional.empty(), Optional.of(true),
                OrgFixture.ORIGIN);

        assertThat(updated.requireMfa()).isTrue();
        assertThat(f.repository.find(f.organizationId)).hasValueSatisfying(o -> {
            assertThat(o.requireMfa()).isTrue();
            assertThat(o.name()).isEqualTo("Acme");
        });
        AuditEvent event = f.audit.events("org.mfa_policy_changed").get(0);
        assertThat(event.organizationId()).hasValue(f.organizationId);
        assertThat(event.details()).containsEntry("require_mfa", "true");
        assertThat(f.audit.events("org.renamed")).isEmpty();
    }

    @Test
    void updateWhenOwnerWithoutSecondFactorTurnsRequireMfaOnThen403MfaRequiredAndUnchanged() {
        Throwable thrown = catchThrowable(() -> f.organizations.update(owner(List.of("pwd"), f.clock.instant()),
                Optional.empty(), Optional.of(true), OrgFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(MfaRequiredException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.MFA_REQUIRED));
        assertThat(f.repository.find(f.organizationId).orElseThrow().requireMfa()).isFalse();
        assertThat(f.audit.events("org.mfa_policy_changed")).isEmpty();
    }

    @Test
    void updateWhenOwnerHasFactorButSignedInWithPasswordOnlyTurnsOnThen401SignInWithIt() {
        enrolOwner();

        Throwable thrown = catchThrowable(() -> f.organizations.update(owner(List.of("pwd"), f.clock.instant()),
                Optional.empty(), Optional.of(true), OrgFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(MfaRequiredException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED);
            assertThat(e.enrolled()).isTrue();
        });
        assertThat(f.repository.find(f.organizationId).orElseThrow().requireMfa()).isFalse();
    }

    @Test
    void updateWhenTurnedOffWithAnOldSignInThenStepUpRequiredAndPolicyKept() {
        enrolOwner();
        f.organizations.update(ownerWithMfa(), Optional.empty(), Optional.of(true), OrgFixture.ORIGIN);
        Instant stale = f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1);

        Throwable thrown = catchThrowable(() -> f.organizations.update(owner(List.of("pwd", "otp", "mfa"), stale),
                Optional.empty(), Optional.of(false), OrgFixture.ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(f.repository.find(f.organizationId).orElseThrow().requireMfa()).isTrue();
        f.organizations.update(ownerWithMfa(), Optional.empty(), Optional.of(false), OrgFixture.ORIGIN);
        assertThat(f.repository.find(f.organizationId).orElseThrow().requireMfa()).isFalse();
        assertThat(f.audit.events("org.mfa_policy_changed")).extracting(e -> e.details().get("require_mfa"))
                .containsExactly("true", "false");
    }

    @Test
    void updateWhenApiKeyWithOrgUpdateTurnsRequireMfaOnThenAllowedAndAuditedWithTheKey() {
        OrgAccess key = f.key(Set.of("org:update"));

        f.organizations.update(key, Optional.empty(), Optional.of(true), OrgFixture.ORIGIN);

        assertThat(f.repository.find(f.organizationId).orElseThrow().requireMfa()).isTrue();
        assertThat(f.audit.events("org.mfa_policy_changed").get(0).actor()).isEqualTo(key.caller().actor());
    }

    @Test
    void updateWhenNameAndPolicyTogetherThenOneWriteWithTwoEvents() {
        enrolOwner();

        Organization updated = f.organizations.update(ownerWithMfa(), Optional.of("Acme Ltd"), Optional.of(true),
                OrgFixture.ORIGIN);

        assertThat(updated.name()).isEqualTo("Acme Ltd");
        assertThat(updated.requireMfa()).isTrue();
        assertThat(f.audit.events("org.renamed")).hasSize(1);
        assertThat(f.audit.events("org.mfa_policy_changed")).hasSize(1);
    }

    @Test
    void updateWhenPolicyUnchangedThenNothingWrittenAndNoCheck() {
        Organization same = f.organizations.update(owner(List.of("pwd"), f.clock.instant()), Optional.empty(),
                Optional.of(false), OrgFixture.ORIGIN);

        assertThat(same.requireMfa()).isFalse();
        assertThat(f.audit.events("org.mfa_policy_changed")).isEmpty();
    }

    @Test
    void updateWhenNeitherNameNorPolicyThen400() {
        Throwable thrown = catchThrowable(() -> f.organizations.update(ownerWithMfa(), Optional.empty(),
                Optional.empty(), OrgFixture.ORIGIN));

        assertThat(thrown).isInstanceOfSatisfying(OrgException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR));
    }
}
