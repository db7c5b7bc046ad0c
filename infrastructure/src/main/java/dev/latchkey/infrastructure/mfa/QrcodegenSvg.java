package dev.latchkey.infrastructure.mfa;

import dev.latchkey.core.mfa.QrCodes;
import io.nayuki.qrcodegen.QrCode;

/**
 * QR codes by Nayuki's qrcodegen (MIT, about 30 KB, no dependencies): error correction level M, drawn as one SVG
 * path of dark modules with a four-module quiet zone (ISO/IEC 18004 §6.3.8).
 */
public final class QrcodegenSvg implements QrCodes {

    private static final int BORDER = 4;

    @Override
    public String svg(String text) {
        QrCode qr;
        try {
            qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        } catch (io.nayuki.qrcodegen.DataTooLongException e) {
            throw new IllegalArgumentException("text too long for a QR code", e);
        }
        int size = qr.size + BORDER * 2;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
                + "\" stroke=\"none\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\""
                + " fill=\"#FFFFFF\"/><path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }
}
