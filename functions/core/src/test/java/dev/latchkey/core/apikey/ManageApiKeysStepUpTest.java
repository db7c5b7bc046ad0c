package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.latchkey.core.access.Role;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.mfa.StepUp;
import dev.latchkey.core.principal.Caller;
import dev.latchkey.core.principal.OrgAccess;
import dev.latchkey.core.principal.Permissions;
import dev.latchkey.core.principal.StepUpRequiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: a user creating an API key with a {@code *:manage} permission steps up (RFC 9470): signed in
 * within ten minutes, else 401 {@code insufficient_user_authentication} and no key.
 */
class ManageApiKeysStepUpTest {

    private final ApiKeyFixture f = new ApiKeyFixture();

    private OrgAccess ownerSignedInAt(Instant authTime) {
        return new OrgAccess(f.organizationId, new Caller.User(f.ownerId, f.ids.next(IdPrefix.SESSION),
                List.of("pwd"), Optional.of(authTime)), Role.OWNER.permissions());
    }

    @Test
    void createWhenManagePermissionAndSignInOlderThanTenMinutesThenStepUpRequiredAndNoKey() {
        OrgAccess stale = ownerSignedInAt(f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1));

        Throwable thrown = catchThrowable(() -> f.manage.create(stale,
                ApiKeyFixture.command().permissions(Permissions.RESOURCE_MANAGE).build(), ApiKeyFixture.ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(((StepUpRequiredException) thrown).headers().get("www-authenticate"))
                .contains("insufficient_user_authentication").contains("max_age=\"600\"");
        assertThat(f.repository.all()).isEmpty();
    }

    @Test
    void createWhenManagePermissionAndFreshSignInThenCreated() {
        OrgAccess fresh = ownerSignedInAt(f.clock.instant().minusSeconds(30));

        CreatedApiKey created = f.manage.create(fresh,
                ApiKeyFixture.command().permissions(Permissions.TEAM_MANAGE).build(), ApiKeyFixture.ORIGIN);

        assertThat(created.key().permissions()).containsExactly(Permissions.TEAM_MANAGE);
    }

    @Test
    void createWhenNoManagePermissionThenNoStepUpEvenFromAnOldSignIn() {
        OrgAccess stale = ownerSignedInAt(f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1));

        CreatedApiKey created = f.manage.create(stale,
                ApiKeyFixture.command().permissions(Permissions.RESOURCE_READ).build(), ApiKeyFixture.ORIGIN);

        assertThat(created.key().permissions()).containsExactly(Permissions.RESOURCE_READ);
    }

    @Test
    void createWhenTokenWithoutAuthTimeThenStepUpRequired() {
        OrgAccess noAuthTime = new OrgAccess(f.organizationId, new Caller.User(f.ownerId,
                f.ids.next(IdPrefix.SESSION)), Role.OWNER.permissions());

        Throwable thrown = catchThrowable(() -> f.manage.create(noAuthTime,
                ApiKeyFixture.command().permissions(Permissions.RESOURCE_MANAGE).build(), ApiKeyFixture.ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
    }

    @Test
    void createWhenCallerIsAnApiKeyHoldingManageThenNoStepUp() {
        OrgAccess key = f.asKey(List.of(Permissions.RESOURCE_MANAGE, "api_key:create"));

        CreatedApiKey created = f.manage.create(key,
                ApiKeyFixture.command().permissions(Permissions.RESOURCE_MANAGE).build(), ApiKeyFixture.ORIGIN);

        assertThat(created.key().permissions()).containsExactly(Permissions.RESOURCE_MANAGE);
    }

    @Test
    void rollWhenManageKeyAndSignInOlderThanTenMinutesThenStepUpRequiredAndSecretUnchanged() {
        CreatedApiKey made = f.manage.create(ownerSignedInAt(f.clock.instant()),
                ApiKeyFixture.command().permissions(Permissions.RESOURCE_MANAGE).build(), ApiKeyFixture.ORIGIN);
        OrgAccess stale = ownerSignedInAt(f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1));

        Throwable thrown = catchThrowable(() -> f.manage.roll(stale, made.key().id(), Duration.ZERO,
                ApiKeyFixture.ORIGIN));

        assertThat(thrown).isInstanceOf(StepUpRequiredException.class);
        assertThat(f.repository.find(made.key().id()).orElseThrow().secrets()).isEqualTo(made.key().secrets());
        assertThat(f.manage.roll(ownerSignedInAt(f.clock.instant()), made.key().id(), Duration.ZERO,
                ApiKeyFixture.ORIGIN).key().secrets()).isNotEqualTo(made.key().secrets());
    }

    @Test
    void rollWhenNoManagePermissionThenNoStepUpEvenFromAnOldSignIn() {
        CreatedApiKey made = f.manage.create(ownerSignedInAt(f.clock.instant()),
                ApiKeyFixture.command().permissions(Permissions.RESOURCE_READ).build(), ApiKeyFixture.ORIGIN);
        OrgAccess stale = ownerSignedInAt(f.clock.instant().minus(StepUp.MAX_AGE).minusSeconds(1));

        CreatedApiKey rolled = f.manage.roll(stale, made.key().id(), Duration.ZERO, ApiKeyFixture.ORIGIN);

        assertThat(rolled.key().secrets()).isNotEqualTo(made.key().secrets());
    }
}
