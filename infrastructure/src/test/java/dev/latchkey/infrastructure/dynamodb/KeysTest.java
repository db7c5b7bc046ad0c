package dev.latchkey.infrastructure.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The key schema is spelled in one place: {@link Keys}. The scan reads every main source file of every module (the
 * whole repository, not only infrastructure) and fails on a string literal that starts like a key prefix
 * ({@code "ORG#"}, {@code "MEMBER#…"}: upper-case letters or underscores, then {@code #}) or that is one of
 * {@link Keys}' prefixes, anywhere but in {@code Keys.java}. The formats asserted here are those of
 * docs/data-model.md "Items that exist".
 */
class KeysTest {

    /** A string literal that starts with a key prefix: {@code "ORG#"}, {@code "REVOKED_JTI#x"}. */
    static final Pattern PREFIX_LITERAL = Pattern.compile("\"[A-Z][A-Z_]*#");

    @Test
    void noMainSourceOutsideKeysSpellsAKeyPrefix() throws IOException {
        List<Path> sources = mainSources();
        assertThat(sources).as("main sources found").hasSizeGreaterThan(100)
                .anySatisfy(path -> assertThat(path.getFileName()).hasToString("Keys.java"));
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            if (source.getFileName().toString().equals("Keys.java")
                    && source.getParent().endsWith(Path.of("dev", "latchkey", "infrastructure", "dynamodb"))) {
                continue;
            }
            violations.addAll(prefixLiterals(source.toString(), Files.readString(source)));
        }
        assertThat(violations).as("key prefix literals outside Keys (use Keys instead)").isEmpty();
    }

    @Test
    void scanWhenASourceSpellsAKeyPrefixThenItIsReported() {
        String source = """
                class Bad {
                    static final String ORG = "ORG#"; // a copy of the schema
                    Map<String, AttributeValue> key(String id) {
                        return Map.of("pk", AttributeValue.fromS("REVOKED_JTI#" + id), "sk", s("#pk"));
                    }
                }
                """;
        assertThat(prefixLiterals("Bad.java", source)).containsExactly("Bad.java:2: \"ORG#",
                "Bad.java:4: \"REVOKED_JTI#");
        assertThat(prefixLiterals("Good.java", "var names = Map.of(\"#pk\", LatchkeyTable.PK);")).isEmpty();
    }

    @Test
    void everyPrefixIsSpelledOnceAndEndsWithTheSeparator() throws IllegalAccessException {
        List<String> prefixes = new ArrayList<>();
        for (Field field : constants()) {
            String value = (String) field.get(null);
            if (value.endsWith(Keys.SEPARATOR) && !field.getName().equals("SEPARATOR")) {
                assertThat(value).as(field.getName()).matches("[A-Z][A-Z_]*#");
                prefixes.add(value);
            } else if (!field.getName().equals("SEPARATOR")) {
                assertThat(value).as(field.getName()).matches("[A-Z][A-Z_]*");
            }
        }
        assertThat(prefixes).as("one constant per prefix").doesNotHaveDuplicates()
                .contains("ORG#", "USER#", "MEMBER#", "SESSION#", "REVOKED_JTI#");
    }

    @Test
    void keysFollowTheDocumentedFormats() {
        assertKey(Keys.user("usr_1"), "USER#usr_1", "PROFILE");
        assertKey(Keys.emailClaim("ada@example.com"), "EMAIL#ada@example.com", "EMAIL");
        assertKey(Keys.organization("org_1"), "ORG#org_1", "ORG");
        assertKey(Keys.membership("org_1", "usr_1"), "ORG#org_1", "MEMBER#usr_1");
        assertKey(Keys.invitation("org_1", "inv_1"), "ORG#org_1", "INVITATION#inv_1");
        assertKey(Keys.invitationToken("ab12"), "INVITATION#ab12", "INVITATION");
        assertKey(Keys.invitee("org_1", "cd34"), "ORG#org_1", "INVITEE#cd34");
        assertKey(Keys.team("org_1", "team_1"), "ORG#org_1", "TEAM#team_1");
        assertKey(Keys.teamName("org_1", "ops"), "ORG#org_1", "TEAMNAME#ops");
        assertKey(Keys.teamMember("org_1", "usr_1", "team_1"), "ORG#org_1", "TEAMMEMBER#usr_1#team_1");
        assertKey(Keys.resource("org_1", "res_1"), "ORG#org_1", "RESOURCE#res_1");
        assertKey(Keys.audience("https://api.example.com"), "AUDIENCE#https://api.example.com", "AUDIENCE");
        assertKey(Keys.grant("org_1", "res_1", "usr_1"), "ORG#org_1", "GRANT#res_1#usr_1");
        assertKey(Keys.client("cli_1"), "CLIENT#cli_1", "CLIENT");
        assertKey(Keys.clientMarker("org_1", "cli_1"), "ORG#org_1", "CLIENT#cli_1");
        assertKey(Keys.clientSecret("cli_1", "sec_1"), "CLIENT#cli_1", "SECRET#sec_1");
        assertKey(Keys.clientKey("cli_1", "ck_1"), "CLIENT#cli_1", "KEY#ck_1");
        assertKey(Keys.assertionJti("cli_1", "ef56"), "JTI#cli_1#ef56", "JTI");
        assertKey(Keys.apiKey("key_1"), "APIKEY#key_1", "APIKEY");
        assertKey(Keys.apiKeyMarker("org_1", "key_1"), "ORG#org_1", "APIKEY#key_1");
        assertKey(Keys.apiKeyDescendant("key_0", "key_1"), "APIKEY#key_0", "DESCENDANT#key_1");
        assertKey(Keys.apiKeyByExternalId("org_1", "user_42", "key_1"), "EXTID#org_1#user_42", "APIKEY#key_1");
        assertKey(Keys.verifications("org_1", "key_1", java.time.LocalDate.of(2026, 12, 7)), "VERIFY_KEY#key_1",
                "DAY#2026-12-07");
        assertKey(Keys.verifications("org_1", null, java.time.LocalDate.of(2026, 12, 7)), "VERIFY_ORG#org_1",
                "DAY#2026-12-07");
        assertKey(Keys.challenge("chl_1"), "CHALLENGE#chl_1", "CHALLENGE");
        assertKey(Keys.passkey("usr_1", "pk_1"), "USER#usr_1", "PASSKEY#pk_1");
        assertKey(Keys.credential("Y3JlZA"), "CREDENTIAL#Y3JlZA", "CREDENTIAL");
        assertKey(Keys.webAuthnUser("usr_1"), "USER#usr_1", "WEBAUTHN");
        assertKey(Keys.totpFactor("usr_1"), "USER#usr_1", "MFA_TOTP");
        assertKey(Keys.pendingTotp("usr_1"), "USER#usr_1", "MFA_PENDING");
        assertKey(Keys.recoveryCode("usr_1", "ab12"), "USER#usr_1", "MFA_RECOVERY#ab12");
        assertKey(Keys.keyRing(), "SIGNING_KEY", "RING");
        assertKey(Keys.signingKey("kid1"), "SIGNING_KEY", "KEY#kid1");
        assertKey(Keys.pepper("refresh-token"), "SECRET", "PEPPER#refresh-token");
        assertKey(Keys.session("ses_1"), "SESSION#ses_1", "SESSION");
        assertKey(Keys.refreshToken("h1"), "REFRESH#h1", "REFRESH");
        assertKey(Keys.revokedJti("jti_1"), "REVOKED_JTI#jti_1", "REVOKED_JTI");
        assertKey(Keys.rateWindow("login:ip:1.2.3.4", 1700000000L), "RATE#login:ip:1.2.3.4#1700000000", "RATE");
        assertKey(Keys.loginThrottle("abcdef0123456789"), "THROTTLE#abcdef0123456789", "THROTTLE");
        assertThat(Keys.auditPk("org_1", "2026-12")).isEqualTo("AUDIT#org_1#2026-12");
        assertThat(Keys.sessionGsi1Sk("2026-12-07T00:00:00.000Z")).isEqualTo("SESSION#2026-12-07T00:00:00.000Z");
        assertThat(Keys.userIdOf(Keys.userPk("usr_1"))).isEqualTo("usr_1");
        assertThat(Keys.teamMembersOf("usr_1")).isEqualTo("TEAMMEMBER#usr_1#");
        assertThat(Keys.grantsOf("res_1")).isEqualTo("GRANT#res_1#");
        assertThat(Keys.isGrantTo("GRANT#res_1#usr_1", "usr_1")).isTrue();
        assertThat(Keys.isGrantTo("GRANT#res_1#usr_12", "usr_1")).isFalse();
        assertThat(Keys.isGrantTo("TEAMMEMBER#usr_2#usr_1", "usr_1")).isFalse();
    }

    @Test
    void keyOfWhenGivenAWholeItemThenOnlyItsPrimaryKey() {
        Map<String, AttributeValue> item = Map.of(LatchkeyTable.PK, AttributeValue.fromS("ORG#org_1"),
                LatchkeyTable.SK, AttributeValue.fromS("GRANT#res_1#usr_1"), "scopes", AttributeValue.fromS("x"));
        assertThat(Keys.keyOf(item)).isEqualTo(Keys.grant("org_1", "res_1", "usr_1"));
    }

    private static void assertKey(Map<String, AttributeValue> key, String pk, String sk) {
        assertThat(key).containsOnlyKeys(LatchkeyTable.PK, LatchkeyTable.SK);
        assertThat(key.get(LatchkeyTable.PK).s()).isEqualTo(pk);
        assertThat(key.get(LatchkeyTable.SK).s()).isEqualTo(sk);
    }

    private static List<Field> constants() {
        return Arrays.stream(Keys.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class).toList();
    }

    /** {@code file:line: "PREFIX#} for every prefix-like string literal in a source text. */
    static List<String> prefixLiterals(String file, String source) {
        List<String> found = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = PREFIX_LITERAL.matcher(lines[i]);
            while (matcher.find()) {
                found.add(file + ":" + (i + 1) + ": " + matcher.group());
            }
        }
        return found;
    }

    /** Every {@code src/main/java} file of the repository (the test runs in the infrastructure module). */
    private static List<Path> mainSources() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        assertThat(root).as("repository root").isNotNull();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> path.toString().contains(java.io.File.separator + "src" + java.io.File.separator
                            + "main" + java.io.File.separator + "java" + java.io.File.separator))
                    .filter(path -> !path.toString().contains(java.io.File.separator + "target"
                            + java.io.File.separator))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
