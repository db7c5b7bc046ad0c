package dev.latchkey.core.access;

/**
 * Port: whether a user has an active second factor (a confirmed TOTP authenticator, docs/mfa.md). Asked only when an
 * organization's policy refuses a caller, to tell "enrol one" from "sign in with yours"
 * ({@link OrganizationMfaPolicy}). Implemented over {@code core.mfa.MfaRepository} by the composition root, so
 * {@code core.access} does not depend on {@code core.mfa}.
 */
@FunctionalInterface
public interface SecondFactors {

    /**
     * Whether the user has an active second factor; one strongly consistent read.
     *
     * @throws dev.latchkey.core.store.StoreUnavailableException when the store fails
     */
    boolean enrolled(String userId);
}
