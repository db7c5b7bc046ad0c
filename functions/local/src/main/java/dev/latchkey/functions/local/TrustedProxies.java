package dev.latchkey.functions.local;

import dev.latchkey.core.apikey.IpRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proxies in front of the container (its ingress or load balancer, {@code LATCHKEY_TRUSTED_PROXIES}: IPv4/IPv6
 * CIDR ranges) whose {@code X-Forwarded-For} the server believes. The client address of a request — what per-IP
 * limits count and the audit log records — is the TCP peer unless the peer is trusted; then it is the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy (the nearest hop no trusted party vouches for, as
 * nginx's {@code real_ip_recursive} and Spring's {@code ForwardedHeaderFilter} do). Entries left of it are whatever
 * the client sent and are never used, so a client cannot choose its own address. A malformed nearest entry falls back
 * to the last trusted hop.
 *
 * @param ranges the trusted ranges; empty trusts nobody (the peer is the client)
 */
record TrustedProxies(List<IpRange> ranges) {

    /** Trusts nobody: the TCP peer is the client (the local shape, and a container without the variable). */
    static final TrustedProxies NONE = new TrustedProxies(List.of());

    TrustedProxies {
        ranges = List.copyOf(ranges);
    }

    /**
     * Reads {@code LATCHKEY_TRUSTED_PROXIES}: comma-separated CIDR ranges or single addresses; each bad entry adds one
     * line to {@code problems} naming it.
     */
    static TrustedProxies parse(Optional<String> raw, List<String> problems) {
        List<IpRange> ranges = new ArrayList<>();
        raw.filter(s -> !s.isBlank()).ifPresent(text -> {
            for (String entry : text.split(",", -1)) {
                String value = entry.trim();
                String cidr = value.contains("/") ? value : value + (value.contains(":") ? "/128" : "/32");
                Optional<IpRange> range = IpRange.parse(cidr);
                if (range.isEmpty()) {
                    problems.add("LATCHKEY_TRUSTED_PROXIES: '" + value + "' is not an IP address or CIDR range "
                            + "(host bits zero), e.g. 10.0.0.0/8 or fd00::/8");
                } else {
                    ranges.add(range.get());
                }
            }
        });
        return new TrustedProxies(ranges);
    }

    /** The client address of a request from {@code peer} carrying these {@code X-Forwarded-For} header values. */
    String clientAddress(String peer, List<String> forwardedFor) {
        if (!trusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",", -1)) {
                hops.add(hop.trim());
            }
        }
        String nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (IpRange.address(hop).isEmpty()) {
                return nearest;
            }
            if (!trusted(hop)) {
                return hop;
            }
            nearest = hop;
        }
        return nearest;
    }

    private boolean trusted(String address) {
        Optional<byte[]> bytes = IpRange.address(address);
        return bytes.isPresent() && ranges.stream().anyMatch(range -> range.contains(bytes.get()));
    }
}
