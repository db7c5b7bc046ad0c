package dev.latchkey.core.apikey;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a key belongs to and from where it may be used (docs/api-keys.md "IP allow-list", "Owner metadata"; issue 21
 * §3–§4): read with the key in verify's one {@code GetItem}, so a verifying service learns them without a second
 * lookup.
 *
 * @param allowedIps the CIDR ranges a verify's client address must be in; empty: any address
 * @param externalId the customer's own user or tenant id, {@code [A-Za-z0-9_.:@|-]{1,128}}; keys are listed by it
 * @param meta a JSON object as text, at most {@value #MAX_META_BYTES} bytes of UTF-8, returned by verify
 */
public record ApiKeyOwnerData(List<IpRange> allowedIps, Optional<String> externalId, Optional<String> meta) {

    /** Most ranges in one allow-list. */
    public static final int MAX_ALLOWED_IPS = 100;
    /** Largest {@code meta}, in bytes of its JSON text. */
    public static final int MAX_META_BYTES = 4096;
    /** No allow-list, no external id, no meta. */
    public static final ApiKeyOwnerData NONE = new ApiKeyOwnerData(List.of(), Optional.empty(), Optional.empty());

    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_.:@|-]{1,128}");

    /** Checks the bounds. */
    public ApiKeyOwnerData {
        allowedIps = List.copyOf(allowedIps);
        if (allowedIps.size() > MAX_ALLOWED_IPS) {
            throw ApiKeyException.invalid("allowed_ips", "TOO_MANY", "Field 'allowed_ips' holds at most "
                    + MAX_ALLOWED_IPS + " ranges.");
        }
        Objects.requireNonNull(externalId, "externalId");
        externalId.ifPresent(ApiKeyOwnerData::requireExternalId);
        Objects.requireNonNull(meta, "meta");
        if (meta.isPresent() && meta.get().getBytes(StandardCharsets.UTF_8).length > MAX_META_BYTES) {
            throw ApiKeyException.invalid("meta", "TOO_LARGE", "Field 'meta' is at most " + MAX_META_BYTES
                    + " bytes of JSON.");
        }
    }

    /**
     * Checks an external id's shape.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} {@code external_id}
     */
    public static void requireExternalId(String externalId) {
        if (externalId == null || !EXTERNAL_ID.matcher(externalId).matches()) {
            throw ApiKeyException.invalid("external_id", "INVALID_FORMAT",
                    "Field 'external_id' is 1 to 128 of A-Z, a-z, 0-9 and _ . : @ | -.");
        }
    }

    /** Whether a verify from this client address (an IP literal, if known) may use the key. */
    public boolean allows(Optional<String> clientIp) {
        if (allowedIps.isEmpty()) {
            return true;
        }
        Optional<byte[]> address = clientIp.flatMap(IpRange::address);
        return address.isPresent() && allowedIps.stream().anyMatch(range -> range.contains(address.get()));
    }

    /**
     * Ranges from the request's texts.
     *
     * @throws ApiKeyException {@code VALIDATION_ERROR} {@code allowed_ips} naming the first range that is not one
     */
    public static List<IpRange> ranges(List<String> texts) {
        if (texts == null) {
            return List.of();
        }
        if (texts.size() > MAX_ALLOWED_IPS) {
            throw ApiKeyException.invalid("allowed_ips", "TOO_MANY", "Field 'allowed_ips' holds at most "
                    + MAX_ALLOWED_IPS + " ranges.");
        }
        return texts.stream().map(text -> IpRange.parse(text).orElseThrow(() -> ApiKeyException.invalid(
                "allowed_ips", "INVALID_FORMAT", "Each of 'allowed_ips' is an IPv4 or IPv6 address or CIDR range "
                        + "with its host bits zero."))).distinct().toList();
    }
}
