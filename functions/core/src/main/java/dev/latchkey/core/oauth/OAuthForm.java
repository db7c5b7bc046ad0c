package dev.latchkey.core.oauth;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A strictly parsed {@code application/x-www-form-urlencoded} body (RFC 6749 Appendix B; the OAuth
 * endpoints accept nothing else, RFC 6749 §3.2, RFC 7009 §2.1).
 *
 * <p>Rules: the media type must be {@code application/x-www-form-urlencoded}, with at most a
 * {@code charset=utf-8} parameter; {@code +} is a space and {@code %XX} a byte; a bad escape,
 * invalid UTF-8 or a control character fails; empty {@code &}-separated pieces are skipped; a
 * parameter sent more than once fails (RFC 6749 §3.1, §3.2); a parameter with an empty value counts
 * as omitted (RFC 6749 §3.1). Unknown parameters are kept and ignored by the caller (§3.1).
 */
public final class OAuthForm {

    private static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private final Map<String, String> parameters;

    private OAuthForm(Map<String, String> parameters) {
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /**
     * Parses a request's body.
     *
     * @param contentType the request's {@code Content-Type}, empty when absent
     * @param raw the body bytes
     * @throws OAuthError {@code invalid_request} for a wrong content type, a malformed body or a
     *     repeated parameter (the description never echoes a value)
     */
    public static OAuthForm parse(String contentType, byte[] raw) {
        if (!isForm(contentType)) {
            throw OAuthError.invalidRequest("Content-Type must be " + MEDIA_TYPE + ".");
        }
        String body = utf8(raw);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String piece : body.split("&", -1)) {
            if (piece.isEmpty()) {
                continue;
            }
            int equals = piece.indexOf('=');
            String name = decode(equals < 0 ? piece : piece.substring(0, equals));
            String value = equals < 0 ? "" : decode(piece.substring(equals + 1));
            if (parameters.containsKey(name)) {
                throw OAuthError.invalidRequest("Parameter " + safeName(name) + " is repeated.");
            }
            parameters.put(name, value);
        }
        return new OAuthForm(parameters);
    }

    /** Parameters as given, for tests and fixtures (no parsing rules apply). */
    public static OAuthForm of(Map<String, String> parameters) {
        return new OAuthForm(new LinkedHashMap<>(parameters));
    }

    /** A parameter's value; empty when absent or sent with an empty value (RFC 6749 §3.1). */
    public Optional<String> get(String name) {
        return Optional.ofNullable(parameters.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * A required parameter.
     *
     * @throws OAuthError {@code invalid_request} when it is missing
     */
    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthError.invalidRequest("Missing parameter " + name + "."));
    }

    private static boolean isForm(String contentType) {
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!parameter.isEmpty() && !parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes one {@code application/x-www-form-urlencoded} component ({@code +} a space, {@code %XX} a byte,
     * UTF-8, no control character), as RFC 6749 §2.3.1 requires of the client id and secret in a Basic header.
     *
     * @throws OAuthError {@code invalid_request} when malformed
     */
    public static String decode(String encoded) {
        ByteBuffer bytes = ByteBuffer.allocate(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.put((byte) ' ');
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw OAuthError.invalidRequest("Malformed form encoding.");
                }
                int high = Character.digit(encoded.charAt(i + 1), 16);
                int low = Character.digit(encoded.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw OAuthError.invalidRequest("Malformed form encoding.");
                }
                bytes.put((byte) (high * 16 + low));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                throw OAuthError.invalidRequest("Malformed form encoding.");
            }
        }
        bytes.flip();
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        String text = utf8(raw);
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw OAuthError.invalidRequest("Malformed form encoding.");
            }
        }
        return text;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw OAuthError.invalidRequest("Malformed form encoding.");
        }
    }

    /** A parameter name safe to echo: the known ones, else nothing. */
    private static String safeName(String name) {
        return name.matches("[a-z_]{1,32}") ? name : "(unnamed)";
    }
}
