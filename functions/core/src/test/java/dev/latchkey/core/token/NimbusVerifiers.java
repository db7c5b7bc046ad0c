package dev.latchkey.core.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Set;

/**
 * Nimbus {@code DefaultJWTProcessor}s as third-party resource servers configure them (shared through the core test
 * jar): {@link #defaults} is the unconfigured processor under Spring Security's resource server; {@link #strictRfc9068}
 * a validator that insists on RFC 9068 ({@code typ at+jwt} and every §2.2 claim), like Spring Security 7's
 * {@code createAtJwtValidator} or oauth4webapi's {@code validateJwtAccessToken}.
 */
public final class NimbusVerifiers {

    /** RFC 9068 §2.2: the claims every JWT access token carries. */
    public static final Set<String> RFC9068_CLAIMS = Set.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");

    private NimbusVerifiers() {
    }

    /** The JWKS document, as served at {@code /.well-known/jwks.json}. */
    public static JWKSet jwks(byte[] body) throws java.text.ParseException {
        return JWKSet.parse(new String(body, StandardCharsets.UTF_8));
    }

    /** Nimbus with its defaults (typ JWT or none; exp/nbf against the real time); only the keys are given. */
    public static DefaultJWTProcessor<SecurityContext> defaults(JWKSet jwks) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
        return processor;
    }

    /**
     * A strict RFC 9068 §4 validator: {@code typ at+jwt}, the exact issuer, the audience, every §2.2 claim plus
     * {@code extra} (e.g. {@code auth_time} for a user's token), times against {@code clock}.
     */
    public static DefaultJWTProcessor<SecurityContext> strictRfc9068(JWKSet jwks, String issuer, String audience,
            Clock clock, String... extra) {
        DefaultJWTProcessor<SecurityContext> processor = defaults(jwks);
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        Set<String> required = new java.util.HashSet<>(RFC9068_CLAIMS);
        required.addAll(Set.of(extra));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), required) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        return processor;
    }
}
