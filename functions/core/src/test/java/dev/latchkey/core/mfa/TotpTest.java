package dev.latchkey.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 Appendix B, RFC 4648 §10 base32 vectors, and the ±1 step window. */
class TotpTest {

    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "T={0} {2} -> {1}")
    @CsvSource({
        "59, 94287082, SHA1", "59, 46119246, SHA256", "59, 90693936, SHA512",
        "1111111109, 07081804, SHA1", "1111111109, 68084774, SHA256", "1111111109, 25091201, SHA512",
        "1111111111, 14050471, SHA1", "1111111111, 67062674, SHA256", "1111111111, 99943326, SHA512",
        "1234567890, 89005924, SHA1", "1234567890, 91819424, SHA256", "1234567890, 93441116, SHA512",
        "2000000000, 69279037, SHA1", "2000000000, 90698825, SHA256", "2000000000, 38618901, SHA512",
        "20000000000, 65353130, SHA1", "20000000000, 77737706, SHA256", "20000000000, 47863826, SHA512"})
    void codeWhenRfc6238AppendixBVectorThenSameEightDigits(long time, String expected, Totp.Algorithm algorithm) {
        byte[] seed = switch (algorithm) {
            case SHA1 -> SEED_SHA1;
            case SHA256 -> SEED_SHA256;
            case SHA512 -> SEED_SHA512;
        };

        assertThat(Totp.code(seed, Totp.step(Instant.ofEpochSecond(time)), algorithm, 8)).isEqualTo(expected);
    }

    @Test
    void codeWhenSixDigitsThenLastSixOfTheVector() {
        assertThat(Totp.code(SEED_SHA1, Totp.step(Instant.ofEpochSecond(59)), Totp.Algorithm.SHA1, 6))
                .isEqualTo("287082");
    }

    @Test
    void matchWhenCodeOfAdjacentStepThenThatStepAndTwoStepsAwayThenEmpty() {
        long now = Totp.step(Instant.ofEpochSecond(1_111_111_111));
        String previous = Totp.code(SEED_SHA1, now - 1, Totp.Algorithm.SHA1, 6);
        String next = Totp.code(SEED_SHA1, now + 1, Totp.Algorithm.SHA1, 6);
        String tooOld = Totp.code(SEED_SHA1, now - 2, Totp.Algorithm.SHA1, 6);

        assertThat(Totp.match(SEED_SHA1, previous, now)).hasValue(now - 1);
        assertThat(Totp.match(SEED_SHA1, next, now)).hasValue(now + 1);
        assertThat(Totp.match(SEED_SHA1, tooOld, now)).isEmpty();
        assertThat(Totp.match(SEED_SHA1, "12345", now)).isEmpty();
        assertThat(Totp.match(SEED_SHA1, "", now)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"f, MY", "fo, MZXQ", "foo, MZXW6", "foob, MZXW6YQ", "fooba, MZXW6YTB", "foobar, MZXW6YTBOI"})
    void base32WhenRfc4648VectorThenEncodedWithoutPaddingAndDecodedBack(String plain, String encoded) {
        assertThat(Base32.encode(plain.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
        assertThat(new String(Base32.decode(encoded.toLowerCase()), StandardCharsets.US_ASCII)).isEqualTo(plain);
    }

    @Test
    void otpAuthUriWhenBuiltThenIssuerLabelSecretAndParameters() {
        String uri = OtpAuthUri.of("Latchkey Demo", "ada@example.com", "foobar".getBytes(StandardCharsets.US_ASCII));

        assertThat(uri).isEqualTo("otpauth://totp/Latchkey%20Demo:ada%40example.com?secret=MZXW6YTBOI"
                + "&issuer=Latchkey%20Demo&algorithm=SHA1&digits=6&period=30");
    }
}
