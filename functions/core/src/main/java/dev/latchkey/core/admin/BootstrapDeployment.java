package dev.latchkey.core.admin;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.NewAccount;
import dev.latchkey.core.account.PersonalOrganization;
import dev.latchkey.core.account.RegisterUserCommand;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserRepository;
import dev.latchkey.core.audit.Actor;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.id.IdGenerator;
import dev.latchkey.core.id.IdPrefix;
import dev.latchkey.core.login.ForgotPassword;
import dev.latchkey.core.login.PasswordResetChallenge;
import dev.latchkey.core.login.PasswordResetToken;
import dev.latchkey.core.login.PasswordResetTokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * The first owner and organization of an empty deployment ({@code latchkey bootstrap}, issue 18), in the steps:
 * <ol>
 *   <li>refuse unless the deployment has no account ({@link DeploymentInventory#hasAccounts()}): bootstrap is not a
 *       back door into a running deployment;</li>
 *   <li>the account as registration writes it (user, email claim, organization named by the operator, owner
 *       membership, {@code account.registered} audit event, actor {@code system:admin-cli}), email verified (the
 *       operator vouches for the address), and <b>no password</b>;</li>
 *   <li>a password-reset token ({@code lkp_…}, single use, {@link ForgotPassword#TTL}) stored like a forgotten
 *       password's: the owner sets a password of their own through {@code POST /v1/auth/password/reset}, so no
 *       password an operator chose or saw ever works.</li>
 * </ol>
 * The check and the write are not one transaction: two operators bootstrapping at the same instant with different
 * addresses could both succeed. That is an operator's race on a fresh table, not an attacker's.
 */
public final class BootstrapDeployment {

    /** The audit actor of operator commands. */
    public static final Actor OPERATOR = Actor.system("admin-cli");
    /** The audit action, registration's own. */
    public static final String ACTION = "account.registered";

    private final DeploymentInventory inventory;
    private final UserRepository users;
    private final PasswordResetTokens resetTokens;
    private final IdGenerator ids;
    private final SecureRandom random;
    private final Clock clock;

    /**
     * @param inventory whether the deployment is empty
     * @param users where the account goes
     * @param resetTokens where the one-time token goes
     * @param ids ids
     * @param random the CSPRNG for the token
     * @param clock the time source
     */
    public BootstrapDeployment(DeploymentInventory inventory, UserRepository users, PasswordResetTokens resetTokens,
            IdGenerator ids, SecureRandom random, Clock clock) {
        this.inventory = Objects.requireNonNull(inventory, "inventory");
        this.users = Objects.requireNonNull(users, "users");
        this.resetTokens = Objects.requireNonNull(resetTokens, "resetTokens");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What bootstrap made; {@link #token()} is shown once to the operator and stored only hashed.
     *
     * @param user the owner
     * @param organizationId the organization
     * @param token the one-time password-setting token
     * @param expiresAt when the token stops working
     */
    public record Bootstrapped(User user, String organizationId, PasswordResetToken token, Instant expiresAt) {
    }

    /**
     * Creates the first owner and organization.
     *
     * @param email the owner's address
     * @param organizationName the organization's name
     * @param name the owner's display name; the address's local part when empty
     * @throws AdminException 409 when the deployment has accounts
     * @throws dev.latchkey.core.account.AccountException 400 for a malformed address or name
     */
    public Bootstrapped bootstrap(String email, String organizationName, Optional<String> name) {
        EmailAddress address = EmailAddress.parse(email);
        String displayName = RegisterUserCommand.normalizeName(
                name.orElseGet(() -> address.display().substring(0, address.display().indexOf('@'))));
        String orgName = RegisterUserCommand.normalizeName(organizationName);
        if (inventory.hasAccounts()) {
            throw AdminException.notEmpty();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String userId = ids.next(IdPrefix.USER);
        String organizationId = ids.next(IdPrefix.ORGANIZATION);
        User user = new User(userId, address, displayName, "", true, now, organizationId);
        PersonalOrganization organization = new PersonalOrganization(organizationId, orgName, now, userId);
        AuditEvent event = AuditEvent.builder(ids, clock)
                .occurredAt(now)
                .organizationId(organizationId)
                .actor(OPERATOR)
                .action(ACTION)
                .target("user", userId)
                .requestId("admin-cli-bootstrap")
                .build();
        users.create(new NewAccount(user, organization, event));
        PasswordResetToken token = PasswordResetToken.generate(random);
        Instant expiresAt = now.plus(ForgotPassword.TTL);
        resetTokens.save(new PasswordResetChallenge(token.hash(), userId, address.canonical(), now, expiresAt));
        return new Bootstrapped(user, organizationId, token, expiresAt);
    }
}
