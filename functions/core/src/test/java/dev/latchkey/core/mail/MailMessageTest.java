package dev.latchkey.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailMessageTest {

    private static final String BODY = "Open https://id.example.com/verify?token=chl_SECRET123 to verify.";

    private static MailMessage message(String to, String subject) {
        return new MailMessage(to, subject, BODY, MailMessage.EMAIL_VERIFICATION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "a.b+tag@sub.example.co.uk", "üser@bücher.example",
        "o'neil@example.com"})
    void plainAddressesAreAccepted(String to) {
        assertThat(message(to, "Verify your email").to()).isEqualTo(to);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com\r\nBcc: eve@example.com", "alice@example.com\nBcc: eve@example.com",
        "alice@example.com\r", "alice@example.com\u0085", "alice@example.com\u2028", "alice@exa\0mple.com",
        "alice@example.com, eve@example.com", "alice@example.com;eve@example.com", "Alice <alice@example.com>",
        "\"alice\"@example.com", "alice @example.com", "alice", "@example.com", "alice@", "a@b@c",
        "alice@example.com\t"})
    void addressWithALineBreakOrASecondRecipientIsRejectedAtConstruction(String to) {
        assertThatThrownBy(() -> message(to, "Verify your email"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("alice")
                .hasMessageNotContaining("eve");
    }

    @Test
    void addressLongerThan254CharactersIsRejected() {
        String local = "a".repeat(64);
        String domain = "b".repeat(185) + ".com";
        assertThat(message(local + "@" + domain, "s").to()).hasSize(254);
        assertThatThrownBy(() -> message(local + "@b" + domain, "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> message("a".repeat(65) + "@example.com", "s"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Verify\r\nBcc: eve@example.com", "Verify\n", "Verify\r", "Ver\u2029ify", "Ver\tify",
        "Ver\0ify", "", "   "})
    void subjectWithALineBreakOrControlCharacterOrBlankIsRejected(String subject) {
        assertThatThrownBy(() -> message("alice@example.com", subject))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("eve");
    }

    @Test
    void subjectIsAtMostTwoHundredCharacters() {
        assertThat(message("alice@example.com", "s".repeat(200)).subject()).hasSize(200);
        assertThatThrownBy(() -> message("alice@example.com", "s".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bodyMayHaveLinesButNoNulAndIsBounded() {
        assertThat(new MailMessage("a@example.com", "s", "line 1\r\nline 2\n", "password-reset").text())
                .contains("\n");
        assertThatThrownBy(() -> new MailMessage("a@example.com", "s", "a\0b", "password-reset"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailMessage("a@example.com", "s", " ", "password-reset"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MailMessage("a@example.com", "s", "x".repeat(100_001), "password-reset"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Email-Verification", "email_verification", "e", "../../etc",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmno"})
    void purposeIsALowerCaseTag(String purpose) {
        assertThatThrownBy(() -> new MailMessage("a@example.com", "s", "t", purpose))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringPrintsThePurposeButNeverTheAddressSubjectOrBody() {
        MailMessage message = message("alice@example.com", "Verify your email");

        assertThat(message.toString()).contains("email-verification")
                .doesNotContain("alice").doesNotContain("example.com").doesNotContain("SECRET123")
                .doesNotContain("token").doesNotContain("Verify your");
    }

    @Test
    void mailExceptionIsServiceUnavailable() {
        assertThat(MailException.unavailable(new RuntimeException("disk full")).code())
                .isEqualTo(ErrorCode.SERVICE_UNAVAILABLE);
    }

    @Test
    void recordingMailerKeepsWhatWasSent() {
        RecordingMailer mailer = new RecordingMailer();
        MailMessage first = message("alice@example.com", "one");
        MailMessage second = new MailMessage("alice@example.com", "two", "t", MailMessage.PASSWORD_RESET);
        mailer.send(first);
        mailer.send(second);

        assertThat(mailer.sent()).containsExactly(first, second);
        assertThat(mailer.latest(MailMessage.EMAIL_VERIFICATION)).contains(first);
        mailer.failWith(MailException.unavailable(null));
        assertThatThrownBy(() -> mailer.send(first)).isInstanceOf(MailException.class);
    }
}
