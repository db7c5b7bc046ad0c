package dev.latchkey.core.keys;

import dev.latchkey.core.token.EcPublicJwk;
import dev.latchkey.core.token.OpenedRsaSigningKey;
import dev.latchkey.core.token.OpenedSigningKey;
import dev.latchkey.core.token.PublicJwk;
import dev.latchkey.core.token.PublicKeyResolver;
import dev.latchkey.core.token.SigningAlgorithm;
import dev.latchkey.core.token.SigningKey;
import dev.latchkey.core.token.SigningKeys;
import dev.latchkey.core.vault.KeyVault;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A container's view of the key ring: read from the table at most every {@code refresh}, the
 * active private key opened through the key vault once per key (not per request), and the
 * published public keys for verifying tokens. After a rotation, a container signs with the new key
 * within {@code refresh}; that is safe because the old key stays published for the policy's
 * retention, which must exceed {@code refresh}.
 *
 * <p>An unknown {@code kid} triggers at most one early reload per {@code unknownKidReload}, so a
 * flood of tokens with made-up kids costs no more than one read per that interval.
 */
public final class CurrentKeys implements PublicKeyResolver {

    private final KeyRingRepository repository;
    private final KeyVault vault;
    private final KeyPolicy policy;
    private final Clock clock;
    private final Duration refresh;
    private final Duration unknownKidReload;

    private KeyRing ring;
    private KeyRing jwksRing;
    private List<SigningKey> jwksKeys = List.of();
    private Jwks jwks;
    private Instant loadedAt = Instant.MIN;
    private OpenedSigningKey opened;
    private OpenedRsaSigningKey openedRsa;

    /**
     * @param repository the key ring store
     * @param vault opens the active private key
     * @param policy publication rules
     * @param clock the time source
     * @param refresh how long a loaded ring is used (shorter than the policy's retention)
     */
    public CurrentKeys(KeyRingRepository repository, KeyVault vault, KeyPolicy policy, Clock clock,
            Duration refresh) {
        if (refresh.compareTo(policy.retention()) >= 0) {
            throw new IllegalArgumentException("refresh must be shorter than the retired keys' retention");
        }
        this.repository = repository;
        this.vault = vault;
        this.policy = policy;
        this.clock = clock;
        this.refresh = refresh;
        this.unknownKidReload = Duration.ofSeconds(30).compareTo(refresh) < 0 ? Duration.ofSeconds(30) : refresh;
    }

    /**
     * The opened active key.
     *
     * @throws NoActiveKeyException when no key is active yet
     */
    public synchronized OpenedSigningKey signingKey() {
        SigningKey active = ring(false).active().orElseThrow(NoActiveKeyException::new);
        if (opened == null || !opened.kid().equals(active.kid())) {
            opened = SigningKeys.open(active, vault);
        }
        return opened;
    }

    /**
     * The opened active RS256 key (ID tokens, OpenID Connect Core §15.1).
     *
     * @throws NoActiveKeyException when no RS256 key is active yet
     */
    public synchronized OpenedRsaSigningKey rsaSigningKey() {
        SigningKey active = ring(false).active(SigningAlgorithm.RS256).orElseThrow(NoActiveKeyException::new);
        if (openedRsa == null || !openedRsa.kid().equals(active.kid())) {
            openedRsa = SigningKeys.openRsa(active, vault);
        }
        return openedRsa;
    }

    /**
     * The JWKS document of the keys published now: built (thumbprints, JSON, ETag) only when the loaded ring or the
     * set of keys it publishes now has changed, else the same document again (issue 16: the JFR profile showed the
     * rebuild on every JWKS request).
     */
    public synchronized Jwks jwks() {
        KeyRing current = ring(false);
        Instant now = clock.instant();
        List<SigningKey> published = current.published(now, policy.retention());
        if (jwks == null || current != jwksRing || !published.equals(jwksKeys)) {
            jwks = Jwks.of(current, now, policy);
            jwksRing = current;
            jwksKeys = published;
        }
        return jwks;
    }

    @Override
    public synchronized Optional<ECPublicKey> byKid(String kid) {
        Instant now = clock.instant();
        Optional<SigningKey> key = published(ring(false), kid, now);
        if (key.isEmpty() && !now.isBefore(loadedAt.plus(unknownKidReload))) {
            key = published(ring(true), kid, now);
        }
        return key.map(SigningKey::publicJwk).filter(EcPublicJwk.class::isInstance).map(EcPublicJwk.class::cast)
                .map(EcPublicJwk::toPublicKey);
    }

    /**
     * The published public key with this {@code kid}, of either algorithm (ES256 or RS256), or empty: for checking a
     * token Latchkey itself signed, such as an ID token presented back as {@code id_token_hint}.
     */
    public synchronized Optional<PublicJwk> publishedKey(String kid) {
        Instant now = clock.instant();
        Optional<SigningKey> key = published(ring(false), kid, now);
        if (key.isEmpty() && !now.isBefore(loadedAt.plus(unknownKidReload))) {
            key = published(ring(true), kid, now);
        }
        return key.map(SigningKey::publicJwk);
    }

    /** Forgets the loaded ring, e.g. after a SnapStart restore, so the next call reads it again. */
    public synchronized void invalidate() {
        loadedAt = Instant.MIN;
    }

    private Optional<SigningKey> published(KeyRing current, String kid, Instant now) {
        return current.byKid(kid).filter(k -> k.isPublishedAt(now, policy.retention()));
    }

    private KeyRing ring(boolean force) {
        Instant now = clock.instant();
        if (force || ring == null || !now.isBefore(loadedAt.plus(refresh))) {
            ring = repository.load();
            loadedAt = now;
        }
        return ring;
    }
}
