package dev.latchkey.functions.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final List<String> problems = new ArrayList<>();
    private final TrustedProxies ingress = TrustedProxies.parse(Optional.of("10.0.0.0/8, fd00::/8,192.0.2.7"),
            problems);

    @Test
    void clientAddressWhenNobodyTrustedThenThePeerWhateverTheHeaderSays() {
        assertThat(TrustedProxies.NONE.clientAddress("10.1.2.3", List.of("203.0.113.9"))).isEqualTo("10.1.2.3");
    }

    @Test
    void clientAddressWhenPeerIsTrustedThenTheNearestUntrustedHop() {
        assertThat(problems).isEmpty();
        assertThat(ingress.clientAddress("10.1.2.3", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        // Two trusted hops (a load balancer, then the ingress), both skipped; IPv6 too.
        assertThat(ingress.clientAddress("10.1.2.3", List.of("2001:db8::5, 192.0.2.7", "fd00::1")))
                .isEqualTo("2001:db8::5");
    }

    @Test
    void clientAddressWhenClientSpoofsEntriesThenOnlyTheHopTheProxyAddedCounts() {
        // The client sent "X-Forwarded-For: 198.51.100.1"; the ingress appended the address it saw.
        assertThat(ingress.clientAddress("10.1.2.3", List.of("198.51.100.1, 203.0.113.9")))
                .isEqualTo("203.0.113.9");
        // An untrusted peer's header is never read.
        assertThat(ingress.clientAddress("203.0.113.50", List.of("10.9.9.9"))).isEqualTo("203.0.113.50");
    }

    @Test
    void clientAddressWhenNearestHopMalformedOrMissingThenTheLastTrustedHop() {
        assertThat(ingress.clientAddress("10.1.2.3", List.of("not-an-ip"))).isEqualTo("10.1.2.3");
        assertThat(ingress.clientAddress("10.1.2.3", List.of("bad, 192.0.2.7"))).isEqualTo("192.0.2.7");
        assertThat(ingress.clientAddress("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void parseWhenEntriesAreNotRangesThenOneProblemEach() {
        List<String> found = new ArrayList<>();
        TrustedProxies.parse(Optional.of("10.0.0.1/8, proxy.internal, 10.0.0.0/8"), found);

        assertThat(found).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("LATCHKEY_TRUSTED_PROXIES: '"));
    }
}
