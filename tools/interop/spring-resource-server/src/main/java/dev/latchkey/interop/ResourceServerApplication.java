package dev.latchkey.interop;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An API protected by Spring Boot's resource-server auto-configuration alone: no security bean, so every request
 * needs a bearer JWT that the decoder built from {@code issuer-uri} (metadata discovery, then the JWKS) accepts
 * and whose {@code aud} holds {@code audiences}. {@code GET /whoami} answers the claims an API would act on.
 */
@SpringBootApplication
@RestController
public class ResourceServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ResourceServerApplication.class, args);
    }

    @GetMapping("/whoami")
    public Map<String, Object> whoami(@AuthenticationPrincipal Jwt jwt) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", jwt.getSubject());
        claims.put("client_id", jwt.getClaimAsString("client_id"));
        claims.put("org", jwt.getClaimAsString("org"));
        claims.put("scope", jwt.getClaimAsString("scope"));
        claims.put("aud", jwt.getAudience());
        return claims;
    }
}
