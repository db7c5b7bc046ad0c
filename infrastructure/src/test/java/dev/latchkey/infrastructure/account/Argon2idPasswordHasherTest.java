package dev.latchkey.infrastructure.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.account.AccountException;
import dev.latchkey.core.account.PasswordHasher.Verification;
import dev.latchkey.core.error.ErrorCode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Argon2idPasswordHasherTest {

    /** Cheap parameters so most tests take milliseconds. */
    private static final Argon2Parameters CHEAP = new Argon2Parameters(64, 1, 1, 16, 32);

    private final SecureRandom random = new SecureRandom();
    private final Argon2idPasswordHasher hasher = new Argon2idPasswordHasher(CHEAP, random);

    private static AccountException unreadable(Argon2idPasswordHasher hasher, String phc) {
        AccountException e = catchThrowableOfType(AccountException.class, () -> hasher.verify(phc, "password"));
        assertThat(e).as("expected UNREADABLE_PASSWORD_HASH for %s", phc).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.UNREADABLE_PASSWORD_HASH);
        assertThat(e.getMessage()).isEqualTo("Stored password hash cannot be read.");
        return e;
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    @DisplayName("RFC 9106 §5.3 Argon2id test vector through the hasher's Bouncy Castle path")
    void argon2idWhenRfc9106VectorThenKnownTag() {
        byte[] tag = Argon2idPasswordHasher.argon2id(filled(32, 0x01), filled(16, 0x02), filled(8, 0x03),
                filled(12, 0x04), 32, 3, 4, 32);

        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    @DisplayName("[6.2.8] Reference implementation's PHC strings verify (libargon2 CLI outputs)")
    void verifyWhenReferenceImplementationPhcThenMatches() {
        // Each string is the output of the reference implementation's CLI (Debian package argon2,
        // libargon2 20171227), e.g.: echo -n password | argon2 somesalt -id -t 2 -m 16 -p 1 -l 32 -e
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify(reference, "password")).isEqualTo(Verification.match(true));
        assertThat(hasher.verify(reference, "Password")).isEqualTo(Verification.mismatch());
        // printf 'p\xc3\xa4ssw\xc3\xb6rd' | argon2 saltsaltsaltsalt -id -t 1 -k 64 -p 1 -l 32 -e
        String utf8 = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM";
        assertThat(hasher.verify(utf8, "p\u00E4ssw\u00F6rd")).isEqualTo(Verification.match(false));
        assertThat(hasher.verify(utf8, "pa\u0308ssw\u00F6rd")).as("bytes differ without NFKC")
                .isEqualTo(Verification.mismatch());
        // ... argon2 saltsaltsaltsalt -id -t 3 -k 256 -p 4 -l 16 -e
        assertThat(hasher.verify("$argon2id$v=19$m=256,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$YFFAScDkLXwNtClRSKFBRA",
                "p\u00E4ssw\u00F6rd")).isEqualTo(Verification.match(true));
    }

    @Test
    void hashWhenCalledThenPhcStringThatRoundTrips() {
        String phc = hasher.hash("correct horse battery staple");

        assertThat(phc).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify(phc, "correct horse battery staple")).isEqualTo(Verification.match(false));
        assertThat(hasher.hash("correct horse battery staple")).as("fresh salt each time").isNotEqualTo(phc);
    }

    @Test
    @DisplayName("[6.3.8] A wrong password does not match and never asks for a rehash")
    void verifyWhenWrongPasswordThenMismatch() {
        String phc = hasher.hash("correct horse battery staple");

        assertThat(hasher.verify(phc, "correct horse battery stapler")).isEqualTo(Verification.mismatch());
        assertThat(hasher.verify(phc, "Correct horse battery staple")).isEqualTo(Verification.mismatch());
        assertThat(hasher.verify(phc, "")).isEqualTo(Verification.mismatch());
        int lastDollar = phc.lastIndexOf('$');
        String otherTag = phc.substring(0, lastDollar + 1) + (phc.charAt(lastDollar + 1) == 'A' ? 'B' : 'A')
                + phc.substring(lastDollar + 2);
        assertThat(hasher.verify(otherTag, "correct horse battery staple")).isEqualTo(Verification.mismatch());
        // A well-formed but longer tag (33 bytes) is a different hash, not an error: it simply mismatches.
        String longer = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
                + "xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBMA";
        assertThat(hasher.verify(longer, "p\u00E4ssw\u00F6rd")).isEqualTo(Verification.mismatch());
    }

    @Test
    void hashWhenParametersChangeThenNeedsRehash() {
        String old = new Argon2idPasswordHasher(new Argon2Parameters(32, 1, 1, 16, 32), random).hash("pw-123456789");

        assertThat(hasher.verify(old, "pw-123456789")).isEqualTo(Verification.match(true));
        assertThat(hasher.verify(old, "wrong")).isEqualTo(Verification.mismatch());
        for (Argon2Parameters other : new Argon2Parameters[] {
            new Argon2Parameters(64, 2, 1, 16, 32),
            new Argon2Parameters(64, 1, 2, 16, 32),
            new Argon2Parameters(64, 1, 1, 16, 64),
            new Argon2Parameters(64, 1, 1, 8, 32),
        }) {
            String phc = new Argon2idPasswordHasher(other, random).hash("pw-123456789");
            assertThat(hasher.verify(phc, "pw-123456789")).as("%s", other).isEqualTo(Verification.match(true));
        }
        String current = hasher.hash("pw-123456789");
        assertThat(hasher.verify(current, "pw-123456789").needsRehash()).isFalse();
    }

    @Test
    @DisplayName("[6.3.8] Dummy verify runs a full verify with current parameters and never throws")
    void verifyDummyWhenCalledThenDoesNotThrow() {
        hasher.verifyDummy("whatever the attacker sent");
        hasher.verifyDummy("");
        hasher.verifyDummy("\uD83D\uDE00".repeat(1024));
    }

    @Test
    @DisplayName("[6.3.8] The dummy hash has the current parameters, so a dummy verify costs a real one")
    void dummyWhenConstructedThenCurrentParametersRandomPerHasherAndUnmatched() {
        Argon2idPasswordHasher owasp = Argon2idPasswordHasher.owasp(random);

        Argon2idPasswordHasher.Stored dummy = Argon2idPasswordHasher.parse(owasp.dummyPhc());

        assertThat(dummy.parameters()).isEqualTo(owasp.parameters());
        assertThat(owasp.dummyPhc()).isNotEqualTo(Argon2idPasswordHasher.owasp(random).dummyPhc());
        assertThat(owasp.verify(owasp.dummyPhc(), "").matches()).isFalse();
        owasp.warmUp();
        assertThat(owasp.verify(owasp.hash("after warm-up"), "after warm-up")).isEqualTo(Verification.match(false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "password",
        "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2d$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$scrypt$ln=16,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$2b$12$GhvMmNVjRW29ulnudl.LbuAnUtN/LRfe1JsBm1Xu6LE3059z5Tr8m",
        // v=16 (0x10): a real reference output (argon2 ... -v 10), refused all the same
        "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$kbXa8N4mBNJiWDjlRAfPD1F+PLfs7DP3Enc0qUuGm7I",
        "$argon2id$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$kbXa8N4mBNJiWDjlRAfPD1F+PLfs7DP3Enc0qUuGm7I",
        "$argon2id$v=19$m=2097152,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=9999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=11,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=4294967296,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=1024,t=1,p=17$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=16,t=1,p=4$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=-64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=064,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$t=1,m=64,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=1,p=1,keyid=x$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA==$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX_4Ehf-j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBN",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA",
        "$argon2id$v=19$m=64,t=1,p=1",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM$",
        " $argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
        "$ARGON2ID$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$xfC6LX/4Ehf+j6bL7lR7xvgRRhviMzd0mZp3enw6yBM",
    })
    @DisplayName("Tampered or foreign PHC strings are refused cleanly before any hashing")
    @Timeout(10)
    void verifyWhenPhcTamperedThenUnreadableWithoutHashing(String phc) {
        AccountException e = unreadable(hasher, phc);

        assertThat(e.getMessage()).doesNotContain("c2FsdHNh");
        assertThat(e.details()).isEmpty();
    }

    @Test
    @Timeout(10)
    void verifyWhenNullOrHugePhcThenUnreadable() {
        unreadable(hasher, null);
        unreadable(hasher, "$argon2id$v=19$m=64,t=1,p=1$" + "A".repeat(100_000) + "$" + "B".repeat(43));
        unreadable(hasher, "$".repeat(1_000_000));
    }

    @Test
    @DisplayName("Bounds: parameters are refused above 256 MiB, t = 10, p = 16 and below 8 KiB per lane")
    void parametersWhenOutOfBoundsThenRejected() {
        assertThat(new Argon2Parameters(1 << 18, 10, 16, 64, 64)).isNotNull();
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters((1 << 18) + 1, 1, 1, 16, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(64, 11, 1, 16, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(1024, 1, 17, 16, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(31, 1, 4, 16, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(64, 0, 1, 16, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(64, 1, 0, 16, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(64, 1, 1, 7, 32));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(64, 1, 1, 16, 15));
        assertThatIllegalArgumentException().isThrownBy(() -> new Argon2Parameters(64, 1, 1, 16, 65));
    }

    @Test
    @DisplayName("[6.2.8] OWASP parameters: m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte tag; prints the cost")
    void hashWhenOwaspParametersThenPhcOfThoseParametersAndVerifies() {
        Argon2idPasswordHasher owasp = Argon2idPasswordHasher.owasp(random);
        String password = "Tr0ub4dor&3 \u00E9t\u00E9";

        String phc = owasp.hash(password);
        Verification verification = owasp.verify(phc, password);
        long[] hashMillis = new long[5];
        long[] dummyMillis = new long[5];
        for (int i = 0; i < hashMillis.length; i++) {
            long start = System.nanoTime();
            owasp.hash(password);
            hashMillis[i] = Duration.ofNanos(System.nanoTime() - start).toMillis();
            start = System.nanoTime();
            owasp.verifyDummy(password);
            dummyMillis[i] = Duration.ofNanos(System.nanoTime() - start).toMillis();
        }

        assertThat(owasp.parameters()).isEqualTo(new Argon2Parameters(19_456, 2, 1, 16, 32));
        assertThat(phc).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(verification).isEqualTo(Verification.match(false));
        // echo -n 'correct horse battery staple' | argon2 sixteen-byte-slt -id -t 2 -k 19456 -p 1 -l 32 -e
        assertThat(owasp.verify("$argon2id$v=19$m=19456,t=2,p=1$c2l4dGVlbi1ieXRlLXNsdA$"
                + "s4uJVDMLUUGER8dUIekIz7mmMoSISescIkMfjJepr4k", "correct horse battery staple"))
                .isEqualTo(Verification.match(false));
        assertThat(hasher.verify(phc, password)).as("cheap hasher asks to move to its parameters")
                .isEqualTo(Verification.match(true));
        Arrays.sort(hashMillis);
        Arrays.sort(dummyMillis);
        System.out.printf("Argon2id OWASP (m=19456,t=2,p=1), after one warm-up: hash min %d / median %d ms, "
                + "dummy verify min %d / median %d ms%n", hashMillis[0], hashMillis[2], dummyMillis[0], dummyMillis[2]);
    }
}
