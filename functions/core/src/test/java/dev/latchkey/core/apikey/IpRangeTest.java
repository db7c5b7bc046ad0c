package dev.latchkey.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link IpRange}: the small CIDR parser of the IP allow-list (no name is ever resolved). */
class IpRangeTest {

    private static IpRange range(String text) {
        return IpRange.parse(text).orElseThrow();
    }

    private static byte[] address(String text) {
        return IpRange.address(text).orElseThrow();
    }

    @Test
    @DisplayName("IPv4 and IPv6 ranges contain exactly their addresses; a bare address is /32 or /128")
    void containsWhenInsideThenTrueElseFalse() {
        assertThat(range("203.0.113.0/24").contains(address("203.0.113.255"))).isTrue();
        assertThat(range("203.0.113.0/24").contains(address("203.0.114.0"))).isFalse();
        assertThat(range("10.0.0.0/8").contains(address("10.255.1.2"))).isTrue();
        assertThat(range("0.0.0.0/0").contains(address("198.51.100.7"))).isTrue();
        assertThat(range("198.51.100.7").contains(address("198.51.100.7"))).isTrue();
        assertThat(range("198.51.100.7").contains(address("198.51.100.8"))).isFalse();
        assertThat(range("2001:db8::/32").contains(address("2001:db8:ffff::1"))).isTrue();
        assertThat(range("2001:db8::/32").contains(address("2001:db9::1"))).isFalse();
        assertThat(range("2001:db8::/32").contains(address("203.0.113.1"))).as("v4 never in a v6 range").isFalse();
        assertThat(range("203.0.113.0/25").contains(address("::ffff:203.0.113.7")))
                .as("an IPv4-mapped IPv6 address is its IPv4 address").isTrue();
        assertThat(range("203.0.113.0/25").text()).isEqualTo("203.0.113.0/25");
    }

    @Test
    @DisplayName("names, zone ids, bad prefixes, set host bits and junk are refused (nothing is resolved)")
    void parseWhenNotALiteralRangeThenEmpty() {
        for (String text : List.of("localhost", "example.com", "203.0.113.0/33", "2001:db8::/129", "10.1.2.3/8",
                "203.0.113.0/024", "256.0.0.1", "1.2.3", "fe80::1%eth0", "", "/24", "203.0.113.0/", "::/x",
                "2001:db8::/-1", "1.2.3.4 ")) {
            assertThat(IpRange.parse(text)).as(text).isEmpty();
        }
        assertThat(IpRange.address("not-an-ip")).isEmpty();
        assertThat(IpRange.address("example.com")).isEmpty();
    }

    @Test
    @DisplayName("a range lies within another only when all its addresses do")
    void withinWhenNarrowerThenTrue() {
        assertThat(range("10.1.0.0/16").within(range("10.0.0.0/8"))).isTrue();
        assertThat(range("10.0.0.0/8").within(range("10.1.0.0/16"))).isFalse();
        assertThat(range("11.0.0.0/16").within(range("10.0.0.0/8"))).isFalse();
        assertThat(range("2001:db8:1::/48").within(range("2001:db8::/32"))).isTrue();
    }
}
