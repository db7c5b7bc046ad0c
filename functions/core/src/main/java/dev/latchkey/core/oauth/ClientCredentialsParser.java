package dev.latchkey.core.oauth;

import dev.latchkey.core.client.ClientAssertions;
import dev.latchkey.core.client.ClientAuthenticationException;
import dev.latchkey.core.client.PresentedClientCredentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads how a request authenticates its client (RFC 6749 §2.3; RFC 7523 §2.2), allowing exactly one method:
 * <ul>
 *   <li>{@code client_secret_basic}: {@code Authorization: Basic base64(urlencode(id) ":" urlencode(secret))} —
 *       the id and secret are form-url-decoded after the base64 (RFC 6749 §2.3.1);</li>
 *   <li>{@code client_secret_post}: {@code client_id} and {@code client_secret} in the body;</li>
 *   <li>{@code private_key_jwt}: {@code client_assertion_type} =
 *       {@value ClientAssertions#ASSERTION_TYPE} and {@code client_assertion}, optionally {@code client_id}.</li>
 * </ul>
 * Two methods in one request → {@code invalid_request} (RFC 6749 §2.3: "MUST NOT use more than one"). A malformed
 * Basic header → {@code invalid_client} with the Basic challenge. Nothing presented → empty (the caller decides).
 */
public final class ClientCredentialsParser {

    private static final String BASIC = "basic ";

    private ClientCredentialsParser() {
    }

    /**
     * The one client authentication method the request presents, if any.
     *
     * @param authorization the request's {@code Authorization} header
     * @param form the request's body
     * @throws OAuthError {@code invalid_request} for two methods, a bad assertion type or a Basic client id other
     *     than the body's; {@code invalid_client} with the Basic challenge for a malformed Basic header
     */
    public static Optional<PresentedClientCredentials> parse(Optional<String> authorization, OAuthForm form) {
        List<PresentedClientCredentials> presented = new ArrayList<>();
        if (authorization.isPresent()) {
            presented.add(basic(authorization.get()));
        }
        Optional<String> secret = form.get("client_secret");
        if (secret.isPresent()) {
            presented.add(new PresentedClientCredentials.Secret(form.require("client_id"), secret.get(), false));
        }
        Optional<String> assertionType = form.get("client_assertion_type");
        Optional<String> assertion = form.get("client_assertion");
        if (assertionType.isPresent() || assertion.isPresent()) {
            if (!assertionType.filter(ClientAssertions.ASSERTION_TYPE::equals).isPresent()) {
                throw OAuthError.invalidRequest("client_assertion_type must be "
                        + ClientAssertions.ASSERTION_TYPE + ".");
            }
            presented.add(new PresentedClientCredentials.Assertion(form.get("client_id"),
                    form.require("client_assertion")));
        }
        if (presented.size() > 1) {
            throw OAuthError.invalidRequest("Use exactly one client authentication method.");
        }
        if (presented.size() == 1 && presented.get(0) instanceof PresentedClientCredentials.Secret basic
                && basic.basic()) {
            form.get("client_id").filter(id -> !id.equals(basic.clientId())).ifPresent(id -> {
                throw OAuthError.invalidRequest("client_id differs from the authenticated client.");
            });
        }
        return presented.stream().findFirst();
    }

    private static PresentedClientCredentials basic(String header) {
        if (header.length() <= BASIC.length() || !header.substring(0, BASIC.length()).toLowerCase(Locale.ROOT)
                .equals(BASIC)) {
            throw OAuthError.invalidClient(true, ClientAuthenticationException.MESSAGE);
        }
        String decoded;
        try {
            byte[] raw = Base64.getDecoder().decode(header.substring(BASIC.length()).trim());
            decoded = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw OAuthError.invalidClient(true, ClientAuthenticationException.MESSAGE);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            throw OAuthError.invalidClient(true, ClientAuthenticationException.MESSAGE);
        }
        try {
            return new PresentedClientCredentials.Secret(OAuthForm.decode(decoded.substring(0, colon)),
                    OAuthForm.decode(decoded.substring(colon + 1)), true);
        } catch (OAuthError e) {
            throw OAuthError.invalidClient(true, ClientAuthenticationException.MESSAGE);
        }
    }
}
