package dev.latchkey.core.token;

import dev.latchkey.core.vault.InMemoryKeyVault;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Fixtures for token tests: keys made through {@link SigningKeys}, and standard claims. */
final class TestKeys {

    static final String ISSUER = "https://id.latchkey.test";
    static final String AUDIENCE = "https://api.latchkey.test";
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private TestKeys() {
    }

    static Clock clockAt(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** A fresh key, generated and opened the way production code does it. */
    static OpenedSigningKey opened() {
        InMemoryKeyVault vault = new InMemoryKeyVault();
        return SigningKeys.open(SigningKeys.generate(vault, clockAt(NOW)), vault);
    }

    /** A resolver that knows exactly these keys. */
    static PublicKeyResolver resolverOf(OpenedSigningKey... keys) {
        Map<String, ECPublicKey> byKid = new LinkedHashMap<>();
        for (OpenedSigningKey key : keys) {
            byKid.put(key.kid(), key.publicKey());
        }
        return kid -> Optional.ofNullable(byKid.get(kid));
    }

    /** Claims every test token starts from: issued at {@link #NOW}, 15 minutes. */
    static AccessTokenClaims.Builder claims() {
        return AccessTokenClaims.builder()
                .issuer(ISSUER)
                .subject("usr_01JXAMPLE0000000000000000")
                .audience(AUDIENCE)
                .issuedAt(NOW)
                .expiresAt(NOW.plusSeconds(900))
                .jwtId("jti-0001");
    }
}
