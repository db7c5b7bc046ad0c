package dev.latchkey.core.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.core.client.ClientSecret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules every stored {@link Application} keeps (OAuth 2.1 §2.1, RFC 7591 §2, RFC 8252 §7.3). */
class ApplicationTest {

    private static final ClientSecret SECRET = new ClientSecret("cs_1", new byte[32], Instant.EPOCH, "usr_1",
            Optional.empty(), Optional.empty());

    @Test
    void newWhenPublicWithSecretThenRefused() {
        assertThatThrownBy(() -> TestApplications.publicApp().secret(SECRET).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newWhenConfidentialWithNoneOrPublicWithSecretMethodThenRefused() {
        assertThatThrownBy(() -> new Application(TestApplications.PUBLIC_ID, "org_1", "x", ApplicationType.PUBLIC,
                TokenEndpointAuthMethod.CLIENT_SECRET_POST, List.of("https://a.example/cb"),
                List.of(), List.of("openid"), false, IdTokenAlgorithm.RS256, Instant.EPOCH,
                "usr_1", List.of(), List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Application(TestApplications.PUBLIC_ID, "org_1", "x",
                ApplicationType.CONFIDENTIAL, TokenEndpointAuthMethod.NONE, List.of("https://a.example/cb"),
                List.of(), List.of("openid"), false, IdTokenAlgorithm.RS256, Instant.EPOCH,
                "usr_1", List.of(), List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newWhenRedirectUriUnsafeOrMissingThenRefused() {
        assertThatThrownBy(() -> TestApplications.publicApp().redirectUris().build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestApplications.publicApp().redirectUris("http://rp.example/cb").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestApplications.publicApp().redirectUris("https://rp.example/cb#frag").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newWhenScopesWithoutOpenidOrUnknownThenRefused() {
        assertThatThrownBy(() -> TestApplications.publicApp().scopes("email").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TestApplications.publicApp().scopes("openid", "admin").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void redirectUriAllowedWhenLoopbackThenAnyPortElseExact() {
        Application app = TestApplications.publicApp()
                .redirectUris("http://127.0.0.1/callback", "https://rp.example/cb").build();

        assertThat(app.redirectUriAllowed("http://127.0.0.1:51234/callback")).isTrue();
        assertThat(app.redirectUriAllowed("https://rp.example/cb")).isTrue();
        assertThat(app.redirectUriAllowed("https://rp.example/cb/")).isFalse();
        assertThat(app.redirectUriAllowed("https://rp.example/cb?x=1")).isFalse();
        assertThat(app.postLogoutRedirectUriAllowed("https://rp.example/")).isTrue();
        assertThat(app.postLogoutRedirectUriAllowed("https://evil.example/")).isFalse();
    }

    @Test
    void postLogoutRedirectUriAllowedWhenLoopbackThenAnyPortElseExactLikeRedirectUris() {
        Application app = TestApplications.publicApp().redirectUris("http://127.0.0.1/callback")
                .postLogoutRedirectUris("http://127.0.0.1/signed-out", "http://[::1]:8400/bye",
                        "http://localhost:8400/bye", "https://rp.example/bye").build();

        assertThat(app.postLogoutRedirectUriAllowed("http://127.0.0.1:49152/signed-out")).isTrue();
        assertThat(app.postLogoutRedirectUriAllowed("http://127.0.0.1/signed-out")).isTrue();
        assertThat(app.postLogoutRedirectUriAllowed("http://[::1]:50000/bye")).isTrue();
        assertThat(app.postLogoutRedirectUriAllowed("http://127.0.0.1:49152/signed-out/more")).isFalse();
        assertThat(app.postLogoutRedirectUriAllowed("http://127.0.0.1:49152/signed-out?x=1")).isFalse();
        assertThat(app.postLogoutRedirectUriAllowed("http://user@127.0.0.1:49152/signed-out")).isFalse();
        assertThat(app.postLogoutRedirectUriAllowed("https://127.0.0.1:49152/signed-out")).isFalse();
        assertThat(app.postLogoutRedirectUriAllowed("http://localhost:9000/bye"))
                .as("localhost only exactly (RFC 8252 §8.3)").isFalse();
        assertThat(app.postLogoutRedirectUriAllowed("http://localhost:8400/bye")).isTrue();
        assertThat(app.postLogoutRedirectUriAllowed("https://rp.example:8443/bye")).as("not loopback").isFalse();
        assertThat(app.postLogoutRedirectUriAllowed(null)).isFalse();
    }
}
