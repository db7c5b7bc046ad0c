package dev.latchkey.core.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code otpauth://totp/…} URI authenticator apps scan (Google Authenticator's "Key Uri Format"):
 * {@code otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30}.
 */
public final class OtpAuthUri {

    private OtpAuthUri() {
    }

    /**
     * The URI of a secret.
     *
     * @param issuer the display name ({@code LATCHKEY_WEBAUTHN_RP_NAME}, {@code LatchkeyConfig.mfaIssuerName()})
     * @param account the account label (the user's email)
     * @param secret the raw secret
     */
    public static String of(String issuer, String account, byte[] secret) {
        String label = encode(issuer) + ":" + encode(account);
        return "otpauth://totp/" + label + "?secret=" + Base32.encode(secret) + "&issuer=" + encode(issuer)
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.PERIOD_SECONDS;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
