package dev.latchkey.core.application;

import dev.latchkey.core.client.ClientKey;
import dev.latchkey.core.client.ClientSecret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Fixture applications: a builder with sensible defaults, so a test states only what it cares about. */
public final class TestApplications {

    /** A valid {@code app_…} id. */
    public static final String PUBLIC_ID = "app_01JF00000000000000000000P1";
    /** Another valid {@code app_…} id. */
    public static final String CONFIDENTIAL_ID = "app_01JF00000000000000000000C1";

    private TestApplications() {
    }

    /** A public SPA-like application ({@code none}, PKCE), first party, RS256. */
    public static Builder publicApp() {
        return new Builder(PUBLIC_ID, ApplicationType.PUBLIC, TokenEndpointAuthMethod.NONE);
    }

    /** A confidential application with {@code client_secret_basic} (add a secret with {@link Builder#secret}). */
    public static Builder confidentialApp() {
        return new Builder(CONFIDENTIAL_ID, ApplicationType.CONFIDENTIAL, TokenEndpointAuthMethod.CLIENT_SECRET_BASIC);
    }

    /** Builds an {@link Application}. */
    public static final class Builder {
        private String clientId;
        private String organizationId = "org_01JEXAMPLEORG0000000000000";
        private String name = "Example app";
        private ApplicationType type;
        private TokenEndpointAuthMethod method;
        private List<String> redirectUris = List.of("https://rp.example/callback");
        private List<String> postLogoutRedirectUris = List.of("https://rp.example/");
        private List<String> scopes = List.of("openid", "profile", "email", "offline_access");
        private boolean firstParty = true;
        private IdTokenAlgorithm algorithm = IdTokenAlgorithm.RS256;
        private Instant createdAt = Instant.parse("2026-12-01T00:00:00Z");
        private final List<ClientSecret> secrets = new ArrayList<>();
        private final List<ClientKey> keys = new ArrayList<>();
        private long version;

        private Builder(String clientId, ApplicationType type, TokenEndpointAuthMethod method) {
            this.clientId = clientId;
            this.type = type;
            this.method = method;
        }

        /** The client id. */
        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        /** The organization. */
        public Builder organizationId(String value) {
            this.organizationId = value;
            return this;
        }

        /** The name. */
        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** The token endpoint authentication method (and so, for {@code none}, the type). */
        public Builder method(TokenEndpointAuthMethod value) {
            this.method = value;
            this.type = value == TokenEndpointAuthMethod.NONE ? ApplicationType.PUBLIC : ApplicationType.CONFIDENTIAL;
            return this;
        }

        /** The redirect URIs. */
        public Builder redirectUris(String... values) {
            this.redirectUris = List.of(values);
            return this;
        }

        /** The post-logout redirect URIs. */
        public Builder postLogoutRedirectUris(String... values) {
            this.postLogoutRedirectUris = List.of(values);
            return this;
        }

        /** The allowed scopes. */
        public Builder scopes(String... values) {
            this.scopes = List.of(values);
            return this;
        }

        /** The first-party flag. */
        public Builder firstParty(boolean value) {
            this.firstParty = value;
            return this;
        }

        /** The ID token algorithm. */
        public Builder algorithm(IdTokenAlgorithm value) {
            this.algorithm = value;
            return this;
        }

        /** The creation time. */
        public Builder createdAt(Instant value) {
            this.createdAt = value;
            return this;
        }

        /** Adds a secret. */
        public Builder secret(ClientSecret value) {
            this.secrets.add(value);
            return this;
        }

        /** Adds a key. */
        public Builder key(ClientKey value) {
            this.keys.add(value);
            return this;
        }

        /** The version. */
        public Builder version(long value) {
            this.version = value;
            return this;
        }

        /** The application. */
        public Application build() {
            return new Application(clientId, organizationId, name, type, method, redirectUris, postLogoutRedirectUris,
                    scopes, firstParty, algorithm, createdAt, "usr_01JEXAMPLEUSR0000000000000", secrets, keys,
                    version);
        }
    }
}
