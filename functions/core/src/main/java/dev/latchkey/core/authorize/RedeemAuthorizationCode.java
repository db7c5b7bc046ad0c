package dev.latchkey.core.authorize;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The checks of a token request with {@code grant_type=authorization_code} (RFC 6749 §4.1.3, RFC 7636 §4.6), in the
 * order that keeps a code single-use whatever happens: the code is consumed first, so any presentation — right or
 * wrong — burns it; a second presentation of a redeemed code revokes what the first one issued (RFC 6749 §4.1.2,
 * RFC 9700 §4.5.3). Every refusal is the same empty answer (the token endpoint's {@code invalid_grant}), so a caller
 * learns nothing about which check failed. (core.oauth's grant handler maps it; this package does not depend on
 * core.oauth.)
 */
public final class RedeemAuthorizationCode {

    /** Our codes: 43 base64url characters (32 random bytes). */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final AuthorizationCodes codes;
    private final Consumer<String> revokeIssued;
    private final Clock clock;

    /**
     * @param codes the code store
     * @param revokeIssued revokes what a first redemption issued, given {@link AuthorizationCodes#recordIssued}'s value
     * @param clock the current time
     */
    public RedeemAuthorizationCode(AuthorizationCodes codes, Consumer<String> revokeIssued, Clock clock) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.revokeIssued = Objects.requireNonNull(revokeIssued, "revokeIssued");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Redeems a code for an authenticated client.
     *
     * @param code the {@code code} parameter
     * @param clientId the client the token request authenticated as (or named, for a public client)
     * @param redirectUri the {@code redirect_uri} parameter, which must be the authorization request's exactly
     * @param verifier the {@code code_verifier} parameter
     * @return the code's grant, to issue tokens for; empty ({@code invalid_grant}) for an unknown, expired, replayed
     *     code, another client's code, another redirect URI or a wrong or missing verifier
     */
    public Optional<AuthorizationCode> redeem(String code, String clientId, String redirectUri, String verifier) {
        if (code == null || !CODE.matcher(code).matches()) {
            return Optional.empty();
        }
        Optional<AuthorizationCodes.Consumed> found = codes.consume(AuthorizationCodes.hash(code));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AuthorizationCodes.Consumed consumed = found.get();
        if (!consumed.firstUse()) {
            consumed.issuedGrant().ifPresent(revokeIssued);
            return Optional.empty();
        }
        AuthorizationCode grant = consumed.code();
        boolean valid = clock.instant().isBefore(grant.expiresAt())
                && grant.clientId().equals(clientId)
                && grant.redirectUri().equals(redirectUri)
                && grant.pkce().verifies(verifier);
        return valid ? Optional.of(grant) : Optional.empty();
    }

    /** Records what the redemption issued, for revocation on replay. */
    public void issued(AuthorizationCode grant, String issuedGrant) {
        codes.recordIssued(grant.codeHash(), Objects.requireNonNull(issuedGrant, "issuedGrant"));
    }
}
