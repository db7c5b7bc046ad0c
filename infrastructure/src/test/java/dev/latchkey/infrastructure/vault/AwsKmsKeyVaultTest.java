package dev.latchkey.infrastructure.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.testing.MutableClock;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVaultException;
import dev.latchkey.core.vault.SealedSecret;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KmsInternalException;

/** Unit tests of the KMS envelope vault against {@link FakeKms}: no network. */
class AwsKmsKeyVaultTest {

    private static final String KEY_ID = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final EncryptionContext SIGNING = new EncryptionContext("signing-key", "kid-1");
    private static final byte[] SECRET = "-----BEGIN PRIVATE KEY----- not really".getBytes(StandardCharsets.UTF_8);
    private static final Duration TTL = Duration.ofMinutes(5);

    private final FakeKms kms = new FakeKms(KEY_ID);
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-12T10:15:30Z"));

    private AwsKmsKeyVault vault(int cacheSize) {
        return new AwsKmsKeyVault(kms, KEY_ID, new SecureRandom(), clock, cacheSize, TTL);
    }

    private static KeyVaultException keyVaultFailure(Runnable call) {
        KeyVaultException e = catchThrowableOfType(KeyVaultException.class, call::run);
        assertThat(e).as("KeyVaultException expected").isNotNull();
        return e;
    }

    static Stream<Supplier<RuntimeException>> outages() {
        return Stream.of(
                () -> SdkClientException.create("Unable to execute HTTP request: connect timed out"),
                () -> KmsInternalException.builder().message("internal").statusCode(500).build());
    }

    @Test
    void openWhenSameContextThenRoundTrips() {
        AwsKmsKeyVault vault = vault(10);

        SealedSecret sealed = vault.seal(SECRET, SIGNING);

        assertThat(sealed.bytes()[0]).isEqualTo(AwsKmsKeyVault.FORMAT);
        assertThat(new String(sealed.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
        assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);
        assertThat(kms.generateDataKeyCalls).hasValue(1);
        assertThat(kms.decryptCalls).hasValue(1);
    }

    @Test
    void sealWhenCalledThenAsksKmsForAes256DataKeyUnderConfiguredKeyWithContext() {
        vault(10).seal(SECRET, SIGNING);

        assertThat(kms.generateDataKeyRequests).singleElement().satisfies(request -> {
            assertThat(request.keyId()).isEqualTo(KEY_ID);
            assertThat(request.keySpec()).isEqualTo(DataKeySpec.AES_256);
            assertThat(request.numberOfBytes()).isNull();
            assertThat(request.encryptionContext()).isEqualTo(SIGNING.asMap());
        });
    }

    @Test
    void openWhenCalledThenDecryptNamesKeyAndContext() {
        AwsKmsKeyVault vault = vault(10);
        vault.open(vault.seal(SECRET, SIGNING), SIGNING);

        assertThat(kms.decryptRequests).singleElement().satisfies(request -> {
            assertThat(request.keyId()).isEqualTo(KEY_ID);
            assertThat(request.encryptionContext()).isEqualTo(SIGNING.asMap());
        });
    }

    @Test
    void sealWhenSamePlaintextTwiceThenSealedBytesDiffer() {
        AwsKmsKeyVault vault = vault(10);

        SealedSecret first = vault.seal(SECRET, SIGNING);
        SealedSecret second = vault.seal(SECRET, SIGNING);

        assertThat(first).isNotEqualTo(second);
        assertThat(vault.open(first, SIGNING)).isEqualTo(vault.open(second, SIGNING)).isEqualTo(SECRET);
    }

    @Test
    void openWhenOwnerDiffersThenCannotOpenAndKmsSawMismatchingContext() {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);

        KeyVaultException e = keyVaultFailure(() -> vault.open(sealed, new EncryptionContext("signing-key", "kid-2")));

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(kms.contextMismatches).hasValue(1);
        assertThat(kms.decryptRequests).singleElement()
                .satisfies(r -> assertThat(r.encryptionContext()).containsEntry("latchkey:owner", "kid-2"));
        assertThat(vault.cachedDataKeys()).isZero();
    }

    @Test
    void openWhenOpenedRightThenWithOtherPurposeThenCacheDoesNotBypassContext() {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);

        KeyVaultException e = keyVaultFailure(() -> vault.open(sealed, new EncryptionContext("pepper", "kid-1")));

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(kms.decryptCalls).hasValue(2);
        assertThat(kms.contextMismatches).hasValue(1);
    }

    @Test
    void openWhenSameSecretOpenedManyTimesThenDecryptCalledOnce() {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);

        for (int i = 0; i < 100; i++) {
            assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);
        }

        assertThat(kms.decryptCalls).hasValue(1);
        assertThat(vault.cachedDataKeys()).isEqualTo(1);
    }

    @Test
    void openWhenMoreSecretsThanCacheSizeThenCacheBoundedAndEldestEvicted() {
        AwsKmsKeyVault vault = vault(2);
        SealedSecret a = vault.seal("a".getBytes(StandardCharsets.UTF_8), SIGNING);
        SealedSecret b = vault.seal("b".getBytes(StandardCharsets.UTF_8), SIGNING);
        SealedSecret c = vault.seal("c".getBytes(StandardCharsets.UTF_8), SIGNING);

        assertThat(vault.open(a, SIGNING)).asString(StandardCharsets.UTF_8).isEqualTo("a");
        assertThat(vault.open(b, SIGNING)).asString(StandardCharsets.UTF_8).isEqualTo("b");
        assertThat(vault.open(c, SIGNING)).asString(StandardCharsets.UTF_8).isEqualTo("c");

        assertThat(vault.cachedDataKeys()).isLessThanOrEqualTo(2).isPositive();
        assertThat(kms.decryptCalls).hasValue(3);
        // c is cached; a was the least recently used and was dropped.
        vault.open(c, SIGNING);
        assertThat(kms.decryptCalls).hasValue(3);
        vault.open(a, SIGNING);
        assertThat(kms.decryptCalls).hasValue(4);
        assertThat(vault.cachedDataKeys()).isEqualTo(2);
    }

    @Test
    void openWhenTtlPassedThenDecryptCalledAgain() {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        vault.open(sealed, SIGNING);

        clock.advance(TTL.minusSeconds(1));
        vault.open(sealed, SIGNING);
        assertThat(kms.decryptCalls).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);
        assertThat(kms.decryptCalls).hasValue(2);

        clock.advance(TTL.minusMillis(1));
        vault.open(sealed, SIGNING);
        assertThat(kms.decryptCalls).hasValue(2);
    }

    @ParameterizedTest
    @MethodSource("outages")
    void sealWhenKmsUnavailableThenServiceUnavailable(Supplier<RuntimeException> outage) {
        AwsKmsKeyVault vault = vault(10);
        kms.failWith(outage.get());

        KeyVaultException e = keyVaultFailure(() -> vault.seal(SECRET, SIGNING));

        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(e.getMessage()).doesNotContain("PRIVATE");
    }

    @ParameterizedTest
    @MethodSource("outages")
    void openWhenKmsUnavailableThenServiceUnavailable(Supplier<RuntimeException> outage) {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        kms.failWith(outage.get());

        KeyVaultException e = keyVaultFailure(() -> vault.open(sealed, SIGNING));

        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(vault.cachedDataKeys()).isZero();

        kms.failWith(null);
        assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);
    }

    @Test
    void openWhenKmsDownButDataKeyCachedThenStillOpens() {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        vault.open(sealed, SIGNING);
        kms.failWith(SdkClientException.create("down"));

        assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);
    }

    @ParameterizedTest
    @MethodSource("outages")
    void checkWhenKmsUnavailableThenServiceUnavailable(Supplier<RuntimeException> outage) {
        AwsKmsKeyVault vault = vault(10);
        vault.check();
        kms.failWith(outage.get());
        clock.advance(AwsKmsKeyVault.CHECK_CACHE);

        KeyVaultException e = keyVaultFailure(vault::check);

        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(kms.describeKeyCalls).hasValue(2);
        // A failure is never trusted: the next check asks KMS again.
        keyVaultFailure(vault::check);
        assertThat(kms.describeKeyCalls).hasValue(3);
    }

    /** Health routes are public: a passed check is reused for CHECK_CACHE, not re-asked per request. */
    @Test
    void checkWhenPassedRecentlyThenKmsIsNotAskedAgainUntilTheCacheEnds() {
        AwsKmsKeyVault vault = vault(10);
        vault.check();
        clock.advance(AwsKmsKeyVault.CHECK_CACHE.minusMillis(1));
        vault.check();
        assertThat(kms.describeKeyCalls).hasValue(1);
        clock.advance(Duration.ofMillis(1));
        vault.check();
        assertThat(kms.describeKeyCalls).hasValue(2);
    }

    @ParameterizedTest
    @EnumSource(value = KeyState.class, names = {"DISABLED", "PENDING_DELETION", "UNAVAILABLE", "PENDING_IMPORT"})
    void checkWhenKeyNotEnabledThenServiceUnavailable(KeyState state) {
        AwsKmsKeyVault vault = vault(10);
        kms.keyState(state);

        KeyVaultException e = keyVaultFailure(vault::check);

        assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
        assertThat(kms.generateDataKeyCalls).hasValue(0);
    }

    @Test
    void checkWhenKeyEnabledThenPassesWithoutSealing() {
        vault(10).check();

        assertThat(kms.describeKeyCalls).hasValue(1);
        assertThat(kms.generateDataKeyCalls).hasValue(0);
        assertThat(kms.decryptCalls).hasValue(0);
    }

    @Test
    void openWhenAnyByteFlippedThenCannotOpen() {
        AwsKmsKeyVault vault = vault(10);
        byte[] sealed = vault.seal(SECRET, SIGNING).bytes();
        assertThat(sealed).hasSizeGreaterThan(3 + 12 + 16);

        for (int i = 0; i < sealed.length; i++) {
            byte[] tampered = sealed.clone();
            tampered[i] ^= 0x01;
            int index = i;
            KeyVaultException e = catchThrowableOfType(KeyVaultException.class,
                    () -> vault.open(SealedSecret.of(tampered), SIGNING));
            assertThat(e).as("flipped byte %d", index).isNotNull();
            assertThat(e.code()).as("flipped byte %d", index).isEqualTo(ErrorCode.INTERNAL_ERROR);
        }
    }

    @Test
    void openWhenCiphertextTamperedAfterKeyCachedThenCannotOpen() {
        AwsKmsKeyVault vault = vault(10);
        SealedSecret sealed = vault.seal(SECRET, SIGNING);
        assertThat(vault.open(sealed, SIGNING)).isEqualTo(SECRET);
        byte[] tampered = sealed.bytes();
        tampered[tampered.length - 1] ^= (byte) 0x80;

        KeyVaultException e = keyVaultFailure(() -> vault.open(SealedSecret.of(tampered), SIGNING));

        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(kms.decryptCalls).hasValue(1);
    }

    @Test
    void openWhenTruncatedOrForeignFormatThenCannotOpen() {
        AwsKmsKeyVault vault = vault(10);
        byte[] sealed = vault.seal(SECRET, SIGNING).bytes();
        byte[] local = LocalKeyVault.fromBase64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", new SecureRandom())
                .seal(SECRET, SIGNING).bytes();

        for (byte[] bad : new byte[][] {
                {AwsKmsKeyVault.FORMAT}, {AwsKmsKeyVault.FORMAT, 0},
                Arrays.copyOf(sealed, 3), Arrays.copyOf(sealed, sealed.length - 1), local}) {
            assertThat(keyVaultFailure(() -> vault.open(SealedSecret.of(bad), SIGNING)).code())
                    .isEqualTo(ErrorCode.INTERNAL_ERROR);
        }
    }
}
