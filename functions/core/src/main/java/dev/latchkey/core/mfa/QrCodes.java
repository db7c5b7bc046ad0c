package dev.latchkey.core.mfa;

/**
 * Port: renders text as a QR code image. Adapter: {@code QrcodegenSvg} (Nayuki's qrcodegen, error correction
 * level M, an SVG document).
 */
public interface QrCodes {

    /**
     * The QR code of {@code text} as a standalone SVG document.
     *
     * @throws IllegalArgumentException when the text does not fit a QR code
     */
    String svg(String text);
}
