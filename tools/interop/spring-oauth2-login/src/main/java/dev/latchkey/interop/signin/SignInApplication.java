package dev.latchkey.interop.signin;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * A web application that signs its users in with Latchkey through Spring Security's {@code oauth2Login}: the provider
 * and the registration are five properties ({@code application.properties}); nothing here knows Latchkey.
 *
 * <p>The one bean is Spring Security's documented recipe for OpenID Connect RP-initiated logout
 * ({@link OidcClientInitiatedLogoutSuccessHandler}): signing out here also ends the sign-in at the provider, through
 * the {@code end_session_endpoint} that discovery found. Without it, {@code oauth2Login} works as well; only the
 * provider's session would outlive the application's.
 */
@SpringBootApplication
@RestController
public class SignInApplication {

    public static void main(String[] args) {
        SpringApplication.run(SignInApplication.class, args);
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http, ClientRegistrationRepository registrations) throws Exception {
        OidcClientInitiatedLogoutSuccessHandler logout = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        logout.setPostLogoutRedirectUri("{baseUrl}/signed-out");
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/signed-out").permitAll()
                        .anyRequest().authenticated())
                .oauth2Login(Customizer.withDefaults())
                .logout(signOut -> signOut.logoutSuccessHandler(logout));
        return http.build();
    }

    /** The signed-in user's subject, email, name and authentication methods from the ID token; a sign-out button. */
    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    public String home(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
        return page("Signed in", "<dl><dt>sub</dt><dd id=\"sub\">" + escape(user.getSubject()) + "</dd>"
                + "<dt>email</dt><dd id=\"email\">" + escape(user.getEmail()) + "</dd>"
                + "<dt>name</dt><dd id=\"name\">" + escape(user.getFullName()) + "</dd>"
                + "<dt>amr</dt><dd id=\"amr\">" + escape(String.valueOf(user.getClaims().get("amr"))) + "</dd></dl>"
                + "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\""
                + escape(csrf.getParameterName())
                + "\" value=\"" + escape(csrf.getToken()) + "\"><button id=\"sign-out\" type=\"submit\">Sign out"
                + "</button></form>");
    }

    /** Where Latchkey sends the browser back after logout. */
    @GetMapping(value = "/signed-out", produces = MediaType.TEXT_HTML_VALUE)
    public String signedOut() {
        return page("Signed out", "<p><a id=\"sign-in\" href=\"/\">Sign in again</a></p>");
    }

    private static String page(String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title + "</title></head>"
                + "<body><h1>" + title + "</h1>" + body + "</body></html>";
    }

    private static String escape(String value) {
        return value == null ? "" : HtmlUtils.htmlEscape(value);
    }
}
