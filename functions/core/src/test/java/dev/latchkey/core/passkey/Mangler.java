package dev.latchkey.core.passkey;

import dev.latchkey.core.http.Json;
import java.util.Base64;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Flips, truncates or extends the bytes of one binary member of a WebAuthn response, for robustness tests. */
final class Mangler {

    private Mangler() {
    }

    /** The response with one of {@code members} (in {@code response}) changed at random. */
    static String mangle(String json, Random random, String... members) {
        JsonNode root = Json.mapper().readTree(json);
        ObjectNode response = (ObjectNode) root.get("response");
        String member = members[random.nextInt(members.length)];
        byte[] bytes = Base64.getUrlDecoder().decode(response.get(member).asString());
        switch (random.nextInt(3)) {
            case 0:
                if (bytes.length > 0) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                break;
            case 1:
                bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                break;
            default:
                byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
                for (int i = bytes.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                bytes = longer;
                break;
        }
        response.put(member, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        return Json.mapper().writeValueAsString(root);
    }
}
