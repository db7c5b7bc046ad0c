package dev.latchkey.core.token;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code typ} header Latchkey puts on the access tokens it issues ({@code LATCHKEY_ACCESS_TOKEN_TYPE}).
 *
 * <p>{@link #JWT} is the default because the verifiers most resource servers run accept only it out of the box:
 * Nimbus's {@code DefaultJWTProcessor} and Spring Security (5.x–7.x, which build on it) refuse any other
 * {@code typ} unless configured. {@link #AT_JWT} is RFC 9068 §2.1's explicit type, for deployments whose resource
 * servers validate RFC 9068 tokens strictly (Spring Security 7's {@code JwtValidators.createAtJwtValidator},
 * oauth4webapi's {@code validateJwtAccessToken}). Either way the claims are the same RFC 9068 §2.2 set, and
 * Latchkey's own {@link AccessTokenVerifier} accepts both (a deployment switching modes does not break the tokens
 * already out), so the switch is only about what third-party verifiers expect.
 *
 * <p>Typing with {@code JWT} gives up RFC 8725 §3.11's explicit typing against cross-JWT confusion; it costs
 * nothing here because Latchkey's signing keys sign nothing but access tokens (refresh tokens, API keys and
 * one-time tokens are opaque), so no other kind of JWT signed by these keys exists to be confused with one.
 */
public enum AccessTokenType {

    /** {@code typ: JWT} (RFC 7519 §5.1): the default, what generic JWT verifiers expect. */
    JWT("JWT"),

    /** {@code typ: at+jwt} (RFC 9068 §2.1): the explicit access-token type. */
    AT_JWT("at+jwt");

    private final String header;

    AccessTokenType(String header) {
        this.header = header;
    }

    /** The {@code typ} header value as issued. */
    public String header() {
        return header;
    }

    /**
     * The type a configuration value names: {@code JWT} or {@code at+jwt}, case-insensitive (media types are,
     * RFC 7515 §4.1.9).
     */
    public static Optional<AccessTokenType> fromConfig(String value) {
        for (AccessTokenType type : values()) {
            if (type.header.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
