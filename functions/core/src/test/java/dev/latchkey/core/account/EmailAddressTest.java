package dev.latchkey.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.latchkey.core.error.ErrorCode;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {

    private static AccountException invalid(String input) {
        AccountException e = catchThrowableOfType(AccountException.class, () -> EmailAddress.parse(input));
        assertThat(e).as("expected rejection").isNotNull();
        return e;
    }

    @Test
    void parseWhenMixedCaseAndSpacesThenCanonicalLowerCaseMailboxKeepsLocalCase() {
        EmailAddress email = EmailAddress.parse("  Ada.Lovelace+Notes@Example.COM \t");

        assertThat(email.canonical()).isEqualTo("ada.lovelace+notes@example.com");
        assertThat(email.mailbox()).isEqualTo("Ada.Lovelace+Notes@example.com");
        assertThat(email.display()).isEqualTo("Ada.Lovelace+Notes@Example.COM");
        assertThat(email.localPart()).isEqualTo("ada.lovelace+notes");
        assertThat(email.domain()).isEqualTo("example.com");
    }

    @Test
    void equalsWhenOnlyCaseDiffersThenSameAccount() {
        EmailAddress upper = EmailAddress.parse("ADA@EXAMPLE.COM");
        EmailAddress lower = EmailAddress.parse("ada@example.com");

        assertThat(upper).isEqualTo(lower).hasSameHashCodeAs(lower);
        assertThat(EmailAddress.parse("ada+1@example.com")).isNotEqualTo(lower);
        assertThat(EmailAddress.parse("a.da@example.com")).as("no provider-specific dot folding")
                .isNotEqualTo(lower);
    }

    @Test
    void parseWhenTurkishLocaleIsDefaultThenCanonicalStillUsesRootLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));

            assertThat(EmailAddress.parse("IDA@EXAMPLE.COM").canonical()).isEqualTo("ida@example.com");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    @DisplayName("Kelvin sign K (U+212A) is NFKC-equal to K: same canonical form and an ASCII mailbox")
    void parseWhenKelvinSignThenSameAsAsciiK() {
        EmailAddress kelvin = EmailAddress.parse("\u212Aelvin@example.com");

        assertThat(kelvin.canonical()).isEqualTo("kelvin@example.com");
        assertThat(kelvin.mailbox()).isEqualTo("Kelvin@example.com");
        assertThat(kelvin.display()).as("NFC maps the Kelvin sign to K too").isEqualTo("Kelvin@example.com");
        assertThat(kelvin).isEqualTo(EmailAddress.parse("kelvin@example.com"));
    }

    @Test
    @DisplayName("Full-width letters, at sign and full stop are NFKC-equal to ASCII; display keeps what was typed")
    void parseWhenFullWidthThenSameAsAscii() {
        String typed = "\uFF21\uFF44\uFF41\uFF20\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45\uFF0E\uFF43\uFF4F\uFF4D";

        EmailAddress email = EmailAddress.parse(typed);

        assertThat(email.canonical()).isEqualTo("ada@example.com");
        assertThat(email.mailbox()).isEqualTo("Ada@example.com");
        assertThat(email.display()).isEqualTo(typed);
        assertThat(email).isEqualTo(EmailAddress.parse("ada@example.com"));
    }

    @Test
    @DisplayName("Dotless i (U+0131): refused in the local part, an xn-- label in the domain")
    void parseWhenDotlessIThenLocalRefusedAndDomainNeverAscii() {
        invalid("\u0131da@example.com");

        EmailAddress domain = EmailAddress.parse("ada@examp\u0131e.com");

        assertThat(domain.domain()).isEqualTo("xn--exampe-t9a.com");
        assertThat(domain).isNotEqualTo(EmailAddress.parse("ada@example.com"))
                .isNotEqualTo(EmailAddress.parse("ada@exampie.com"));
    }

    @Test
    @DisplayName("Turkish capital dotted I (U+0130): refused in the local part, an xn-- label in the domain")
    void parseWhenTurkishDottedCapitalIThenLocalRefusedAndDomainNeverAscii() {
        invalid("\u0130da@example.com");
        invalid("ad\u0130@example.com");

        EmailAddress domain = EmailAddress.parse("ada@\u0130nstagram.com");

        assertThat(domain.domain()).isEqualTo("xn--instagram-5jf.com");
        assertThat(domain).isNotEqualTo(EmailAddress.parse("ada@instagram.com"));
    }

    @Test
    @DisplayName("Sharp s: refused in the local part and in the domain (IDNA2003 would map strasse)")
    void parseWhenSharpSThenRefusedEverywhere() {
        invalid("stra\u00DFe@example.com");
        invalid("ada@stra\u00DFe.de");
        invalid("ada@STRA\u1E9EE.de");
        invalid("ada@xn--strae-oqa.de");
        invalid("ada@\u03B1\u03C2.gr");

        assertThat(EmailAddress.parse("ada@strasse.de").domain()).isEqualTo("strasse.de");
    }

    @Test
    @DisplayName("Cyrillic a (U+0430) in the domain becomes an xn-- label and differs from the ASCII domain")
    void parseWhenCyrillicLookAlikeThenDomainDiffersAndLocalRefused() {
        EmailAddress lookAlike = EmailAddress.parse("ada@ex\u0430mple.com");

        assertThat(lookAlike.domain()).isEqualTo("xn--exmple-4nf.com");
        assertThat(lookAlike.canonical()).isNotEqualTo("ada@example.com");
        assertThat(lookAlike).isNotEqualTo(EmailAddress.parse("ada@example.com"));
        invalid("\u0430da@example.com");
    }

    @Test
    void parseWhenInternationalDomainThenALabelKeyAndUnicodeDisplay() {
        EmailAddress unicode = EmailAddress.parse("Ada@B\u00FCcher.de");
        EmailAddress aLabel = EmailAddress.parse("ada@XN--BCHER-KVA.de");

        assertThat(unicode.canonical()).isEqualTo("ada@xn--bcher-kva.de");
        assertThat(unicode.mailbox()).isEqualTo("Ada@xn--bcher-kva.de");
        assertThat(unicode.display()).isEqualTo("Ada@B\u00FCcher.de");
        assertThat(aLabel).isEqualTo(unicode);
    }

    @Test
    void parseWhenDecomposedUnicodeThenDisplayIsNfc() {
        EmailAddress email = EmailAddress.parse("ada@bu\u0308cher.de");

        assertThat(email.display()).isEqualTo("ada@b\u00FCcher.de");
        assertThat(email.canonical()).isEqualTo("ada@xn--bcher-kva.de");
    }

    @Test
    void parseWhenNoBreakAndIdeographicSpacesAroundThenTrimmed() {
        EmailAddress email = EmailAddress.parse("\u00A0ada@example.com\u3000\u2007");

        assertThat(email.canonical()).isEqualTo("ada@example.com");
        assertThat(email.display()).isEqualTo("ada@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "o'brien@example.com",
        "first.last+tag@sub.example.co.uk",
        "x@a.io",
        "!#$%&'*+/=?^_`{|}~-@example.com",
        "user@xn--bcher-kva.de",
        "user@123.example",
        "user@a-b.example",
    })
    void parseWhenValidThenAccepted(String input) {
        EmailAddress email = EmailAddress.parse(input);

        assertThat(email.canonical()).isEqualTo(input.toLowerCase(Locale.ROOT));
        assertThat(email.mailbox()).isEqualTo(input);
    }

    @Test
    void parseWhenAtTheLengthLimitsThenAccepted() {
        String local64 = "a".repeat(64);
        String label63 = "b".repeat(63);
        // 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254
        String max = local64 + "@" + label63 + "." + label63 + "." + "c".repeat(57) + ".com";

        assertThat(max).hasSize(254);
        assertThat(EmailAddress.parse(max).canonical()).isEqualTo(max);
        assertThat(EmailAddress.parse(local64 + "@example.com").localPart()).hasSize(64);
        assertThat(EmailAddress.parse("a@" + label63 + ".com").domain()).startsWith(label63);
    }

    @Test
    void parseWhenOverTheLengthLimitsThenRejected() {
        String label63 = "b".repeat(63);

        invalid("a".repeat(65) + "@example.com");
        invalid("a@" + "b".repeat(64) + ".com");
        invalid("a".repeat(64) + "@" + label63 + "." + label63 + "." + "c".repeat(58) + ".com");
        invalid("a".repeat(2000) + "@example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "ada",
        "@example.com",
        "ada@",
        "ada@@example.com",
        "ada@lovelace@example.com",
        ".ada@example.com",
        "ada.@example.com",
        "a..da@example.com",
        "ada lovelace@example.com",
        "\"ada\"@example.com",
        "\"ada lovelace\"@example.com",
        "ada(comment)@example.com",
        "ada\\@x@example.com",
        "<ada@example.com>",
        "Ada <ada@example.com>",
        "ada@example.com, bob@example.com",
        "ada@example",
        "ada@localhost",
        "ada@-example.com",
        "ada@example-.com",
        "ada@exa_mple.com",
        "ada@example..com",
        "ada@.example.com",
        "ada@example.com.",
        "ada@[127.0.0.1]",
        "ada@127.0.0.1",
        "ada@exam ple.com",
        "ada@xn--zz.com",
        "ada@xn--ls8h.la",
        "@@",
        "ada\u0000@example.com",
        "ada\n@example.com",
        "ada@example.com\r\nBcc: eve@example.com",
        "ada\u00A0lovelace@example.com",
        "a\u200Bda@example.com",
        "ada@exa\u00ADmple.com",
        "ada@example.com\u202E",
        "\u202Emoc.elpmaxe@ada",
        "ada\uE000@example.com",
        "ada\uD800@example.com",
        "ad\u00E1@example.com",
        "\uD83D\uDE00@example.com",
    })
    @DisplayName("Malformed, quoted, spaced, control, format and non-ASCII-local addresses are refused")
    void parseWhenInvalidThenValidationErrorWithoutTheAddress(String input) {
        AccountException e = invalid(input);

        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.reason()).isEqualTo(AccountException.Reason.INVALID_EMAIL);
        assertThat(e.details()).containsEntry("reason", "INVALID_EMAIL");
        assertThat(e.getMessage()).isEqualTo("Email address is not valid.");
        if (!input.isBlank()) {
            assertThat(e.getMessage()).doesNotContain(input.strip());
            assertThat(e.details().toString()).doesNotContain(input.strip());
        }
    }

    @Test
    void parseWhenNullThenValidationError() {
        assertThat(invalid(null).code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void toStringWhenPrintedThenLocalPartMasked() {
        EmailAddress email = EmailAddress.parse("Ada.Lovelace@example.com");

        assertThat(email.toString())
                .isEqualTo("EmailAddress[a***@example.com]")
                .doesNotContain("lovelace")
                .doesNotContain("Lovelace");
        assertThat(email.masked()).isEqualTo("a***@example.com");
        assertThat(String.valueOf(email)).doesNotContain(email.canonical());
    }

    @Test
    void parseWhenParsedFromItsOwnFormsThenSameAddress() {
        EmailAddress email = EmailAddress.parse("\uFF21da@B\u00FCcher.de");

        assertThat(EmailAddress.parse(email.display())).isEqualTo(email);
        assertThat(EmailAddress.parse(email.mailbox())).isEqualTo(email);
        assertThat(EmailAddress.parse(email.canonical())).isEqualTo(email);
        assertThat(email.mailbox().toLowerCase(Locale.ROOT)).isEqualTo(email.canonical());
    }
}
