package dev.latchkey.core.token;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The claims of a Latchkey access token (RFC 9068 §2.2, ARCHITECTURE.md §5). Instants are truncated
 * to whole seconds, as a JWT NumericDate carries them (RFC 7519 §2), so the claims read back from a
 * verified token equal the ones it was issued with.
 *
 * @param issuer {@code iss}
 * @param subject {@code sub}: the user (or client) the token is about
 * @param audience {@code aud}: at least one
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}, after {@code issuedAt}
 * @param jwtId {@code jti}
 * @param scope {@code scope}: scope tokens (RFC 6749 §3.3), space-joined in the token and omitted
 *     when empty
 * @param clientId {@code client_id}
 * @param org {@code org}: the organization the token acts in
 * @param sessionId {@code sid}: the session (refresh family) behind the token
 * @param amr {@code amr} (RFC 8176): how the user authenticated; omitted when empty
 * @param authTime {@code auth_time}: when the user last authenticated
 * @param tokenUse {@code token_use}: {@value #MANAGEMENT} on the tokens a session gets for Latchkey's own
 *     management routes, absent on every other token (resource, client and API-key tokens); see
 *     {@link #isManagement()}
 */
public record AccessTokenClaims(String issuer, String subject, List<String> audience, Instant issuedAt,
        Instant expiresAt, String jwtId, List<String> scope, Optional<String> clientId, Optional<String> org,
        Optional<String> sessionId, List<String> amr, Optional<Instant> authTime, Optional<String> tokenUse) {

    /**
     * The {@code token_use} of a management token: a private claim (RFC 7519 §4.3) that only Latchkey reads. Only
     * {@link dev.latchkey.core.session.SessionTokens} sets it, on a session's own token ({@code aud} = [the issuer]);
     * a token for a resource never carries it, even when the resource's audience were the issuer.
     */
    public static final String MANAGEMENT = "management";

    /** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    /**
     * Validates and normalizes the claims.
     *
     * @throws IllegalArgumentException when a string is blank, {@code audience} is empty, a scope
     *     token is not an RFC 6749 scope-token, or {@code expiresAt} is not after {@code issuedAt}
     *     (after truncation to seconds)
     */
    public AccessTokenClaims {
        issuer = nonBlank(issuer, "issuer");
        subject = nonBlank(subject, "subject");
        audience = List.copyOf(Objects.requireNonNull(audience, "audience"));
        if (audience.isEmpty()) {
            throw new IllegalArgumentException("audience must not be empty");
        }
        audience.forEach(value -> nonBlank(value, "audience"));
        issuedAt = Objects.requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.SECONDS);
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.SECONDS);
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("expiresAt must be after issuedAt");
        }
        jwtId = nonBlank(jwtId, "jwtId");
        scope = List.copyOf(Objects.requireNonNull(scope, "scope"));
        for (String token : scope) {
            if (!SCOPE_TOKEN.matcher(token).matches()) {
                throw new IllegalArgumentException("scope tokens must be RFC 6749 scope-tokens");
            }
        }
        clientId = optionalNonBlank(clientId, "clientId");
        org = optionalNonBlank(org, "org");
        sessionId = optionalNonBlank(sessionId, "sessionId");
        amr = List.copyOf(Objects.requireNonNull(amr, "amr"));
        amr.forEach(value -> nonBlank(value, "amr"));
        authTime = Objects.requireNonNull(authTime, "authTime").map(t -> t.truncatedTo(ChronoUnit.SECONDS));
        tokenUse = optionalNonBlank(tokenUse, "tokenUse");
    }

    /**
     * Whether these are the claims of a management token (docs/security.md "Management tokens"): issued for
     * Latchkey itself — exactly one audience, the issuer — and marked {@code token_use} = {@value #MANAGEMENT}.
     * A resource token is not one, whatever its audience.
     */
    public boolean isManagement() {
        return audience.size() == 1 && audience.get(0).equals(issuer)
                && tokenUse.filter(MANAGEMENT::equals).isPresent();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these claims, to change a few. */
    public Builder toBuilder() {
        Builder builder = new Builder().issuer(issuer).subject(subject).audience(audience).issuedAt(issuedAt)
                .expiresAt(expiresAt).jwtId(jwtId).scope(scope).amr(amr);
        builder.clientId = clientId.orElse(null);
        builder.org = org.orElse(null);
        builder.sessionId = sessionId.orElse(null);
        builder.authTime = authTime.orElse(null);
        builder.tokenUse = tokenUse.orElse(null);
        return builder;
    }

    private static String nonBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    private static Optional<String> optionalNonBlank(Optional<String> value, String name) {
        Objects.requireNonNull(value, name).ifPresent(v -> nonBlank(v, name));
        return value;
    }

    /**
     * Builds {@link AccessTokenClaims}. Lists default to empty and optionals to absent; set either
     * {@link #expiresAt} or {@link #lifetime}. {@link AccessTokenIssuer#newClaims} returns one with
     * {@code iat}, {@code exp} and {@code jti} already filled in.
     */
    public static final class Builder {

        private String issuer;
        private String subject;
        private List<String> audience = List.of();
        private Instant issuedAt;
        private Instant expiresAt;
        private Duration lifetime;
        private String jwtId;
        private List<String> scope = List.of();
        private String clientId;
        private String org;
        private String sessionId;
        private List<String> amr = List.of();
        private Instant authTime;
        private String tokenUse;

        private Builder() {
        }

        /** Sets {@code iss}. */
        public Builder issuer(String value) {
            this.issuer = value;
            return this;
        }

        /** Sets {@code sub}. */
        public Builder subject(String value) {
            this.subject = value;
            return this;
        }

        /** Sets {@code aud}. */
        public Builder audience(String... values) {
            return audience(Arrays.asList(values));
        }

        /** Sets {@code aud}. */
        public Builder audience(List<String> values) {
            this.audience = values;
            return this;
        }

        /** Sets {@code iat}. */
        public Builder issuedAt(Instant value) {
            this.issuedAt = value;
            return this;
        }

        /** Sets {@code exp}; replaces a {@link #lifetime}. */
        public Builder expiresAt(Instant value) {
            this.expiresAt = value;
            this.lifetime = null;
            return this;
        }

        /** Sets {@code exp} to {@code iat} + {@code value} when built; replaces an {@link #expiresAt}. */
        public Builder lifetime(Duration value) {
            this.lifetime = value;
            this.expiresAt = null;
            return this;
        }

        /** Sets {@code jti}. */
        public Builder jwtId(String value) {
            this.jwtId = value;
            return this;
        }

        /** Sets the scope tokens. */
        public Builder scope(String... values) {
            return scope(Arrays.asList(values));
        }

        /** Sets the scope tokens. */
        public Builder scope(List<String> values) {
            this.scope = values;
            return this;
        }

        /** Sets {@code client_id} ({@code null} for none). */
        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        /** Sets {@code org} ({@code null} for none). */
        public Builder org(String value) {
            this.org = value;
            return this;
        }

        /** Sets {@code sid} ({@code null} for none). */
        public Builder sessionId(String value) {
            this.sessionId = value;
            return this;
        }

        /** Sets {@code amr}. */
        public Builder amr(String... values) {
            return amr(Arrays.asList(values));
        }

        /** Sets {@code amr}. */
        public Builder amr(List<String> values) {
            this.amr = values;
            return this;
        }

        /** Sets {@code auth_time} ({@code null} for none). */
        public Builder authTime(Instant value) {
            this.authTime = value;
            return this;
        }

        /** Sets {@code token_use} ({@code null} for none): {@link AccessTokenClaims#MANAGEMENT} or nothing. */
        public Builder tokenUse(String value) {
            this.tokenUse = value;
            return this;
        }

        /**
         * The claims.
         *
         * @throws IllegalArgumentException as the {@link AccessTokenClaims} constructor does
         * @throws NullPointerException when a required claim was not set
         */
        public AccessTokenClaims build() {
            Instant expiry = expiresAt;
            if (lifetime != null) {
                Objects.requireNonNull(issuedAt, "issuedAt");
                expiry = issuedAt.truncatedTo(ChronoUnit.SECONDS).plus(lifetime);
            }
            return new AccessTokenClaims(issuer, subject, audience, issuedAt, expiry, jwtId, scope,
                    Optional.ofNullable(clientId), Optional.ofNullable(org), Optional.ofNullable(sessionId), amr,
                    Optional.ofNullable(authTime), Optional.ofNullable(tokenUse));
        }
    }
}
