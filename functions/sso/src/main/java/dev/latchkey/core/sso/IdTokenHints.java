package dev.latchkey.core.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.latchkey.core.token.PublicJwk;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks an {@code id_token_hint} (OpenID Connect RP-Initiated Logout 1.0 §2): an ID token this issuer signed, with
 * one of its published keys ({@code RS256} or {@code ES256}), for this issuer. Its expiry is <b>not</b> checked — the
 * specification says the OP should accept an expired one, since an RP logs out long after sign-in — but everything
 * else is: a token that does not verify is refused, never trusted for its claims.
 */
public final class IdTokenHints {

    private static final int MAX_LENGTH = 8192;

    private final Function<String, Optional<PublicJwk>> keys;
    private final String issuer;

    /**
     * @param keys the published key with a {@code kid}
     * @param issuer this issuer's identifier
     */
    public IdTokenHints(Function<String, Optional<PublicJwk>> keys, String issuer) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /**
     * What a genuine hint says.
     *
     * @param subject {@code sub}
     * @param audience {@code aud}
     * @param sessionId {@code sid}, when present
     */
    public record Hint(String subject, List<String> audience, Optional<String> sessionId) {
        /** Copies. */
        public Hint {
            audience = List.copyOf(audience);
        }
    }

    /** The claims of a genuine hint, or empty for anything else (malformed, unknown key, bad signature, other iss). */
    public Optional<Hint> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            String kid = jwt.getHeader().getKeyID();
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            if (kid == null || jwt.getHeader().getJWK() != null || jwt.getHeader().getJWKURL() != null) {
                return Optional.empty();
            }
            Optional<PublicJwk> key = keys.apply(kid).filter(k -> k.algorithm().name().equals(alg.getName()));
            if (key.isEmpty()) {
                return Optional.empty();
            }
            JWSVerifier verifier = JWSAlgorithm.RS256.equals(alg)
                    ? new RSASSAVerifier((RSAPublicKey) key.get().toPublicKey())
                    : JWSAlgorithm.ES256.equals(alg) ? new ECDSAVerifier((ECPublicKey) key.get().toPublicKey()) : null;
            if (verifier == null || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!issuer.equals(claims.getIssuer()) || claims.getSubject() == null || claims.getAudience() == null
                    || claims.getAudience().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Hint(claims.getSubject(), claims.getAudience(),
                    Optional.ofNullable(claims.getStringClaim("sid"))));
        } catch (ParseException | JOSEException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
