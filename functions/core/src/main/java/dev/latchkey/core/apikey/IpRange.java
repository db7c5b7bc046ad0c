package dev.latchkey.core.apikey;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 203.0.113.0/24}, {@code 2001:db8::/32}; a bare address is
 * its own /32 or /128), for a key's IP allow-list (docs/api-keys.md "IP allow-list"). A small parser of its own
 * rather than a library (none kept fits the function's size cap; docs/architecture.md "Dependencies"): it accepts
 * only IP literals — never a host name, so parsing never resolves anything — with the host bits of the network
 * zeroed ({@code 10.1.2.3/8} is refused: say {@code 10.0.0.0/8}). An IPv4-mapped IPv6 address
 * ({@code ::ffff:203.0.113.7}) is the IPv4 address it maps.
 *
 * @param network the network address, 4 or 16 bytes, host bits zero
 * @param prefix the prefix length, 0–32 or 0–128
 */
public record IpRange(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
            + "(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** Checks the sizes. */
    public IpRange {
        Objects.requireNonNull(network, "network");
        if (network.length != 4 && network.length != 16 || prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("bad range");
        }
        network = network.clone();
    }

    /**
     * Parses a CIDR range or a bare address.
     *
     * @return empty for anything else (a host name, a zone id, a prefix out of range, host bits set)
     */
    public static Optional<IpRange> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 49) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        Optional<byte[]> bytes = address(address);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        int bits = bytes.get().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("0|[1-9]\\d{0,2}")) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(length);
            if (prefix > bits) {
                return Optional.empty();
            }
        }
        byte[] network = bytes.get();
        if (!Arrays.equals(network, masked(network, prefix))) {
            return Optional.empty();
        }
        return Optional.of(new IpRange(network, prefix));
    }

    /** An IP literal's bytes (4 for IPv4 and IPv4-mapped IPv6, else 16); empty for anything that is not one. */
    public static Optional<byte[]> address(String text) {
        if (text == null) {
            return Optional.empty();
        }
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            return Optional.empty();
        }
        try {
            // Only a literal gets here (dotted quad, or hex digits, colons and dots): no name is ever resolved.
            InetAddress parsed = InetAddress.getByName(text);
            return Optional.of(parsed.getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether the address (4 or 16 bytes) is in this range; an IPv4 address is never in an IPv6 range. */
    public boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(masked(address, prefix), network);
    }

    /** Whether every address of this range is in {@code other}. */
    public boolean within(IpRange other) {
        return network.length == other.network.length && prefix >= other.prefix && other.contains(network);
    }

    /** The range as CIDR text, normalized ({@code 2001:db8:0:0:0:0:0:0/32} for {@code 2001:db8::/32}). */
    public String text() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpRange range && range.prefix == prefix && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text();
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - 8 * i));
            out[i] = (byte) (out[i] & (0xFF00 >> keep));
        }
        return out;
    }
}
