package dev.latchkey.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code LATCHKEY_METRICS} and {@code LATCHKEY_METRICS_NAMESPACE}. */
class MetricsSettingsTest {

    @Test
    void fromEnvironmentWhenUnsetThenEmfInTheLatchkeyNamespace() {
        MetricsSettings settings = MetricsSettings.fromEnvironment(Map.of());
        assertThat(settings.mode()).isEqualTo(MetricsSettings.Mode.EMF);
        assertThat(settings.namespace()).isEqualTo("Latchkey");
        assertThat(settings.enabled()).isTrue();
    }

    @Test
    void fromEnvironmentWhenOffThenDisabled() {
        assertThat(MetricsSettings.fromEnvironment(Map.of("LATCHKEY_METRICS", "OFF")).enabled()).isFalse();
        assertThat(MetricsSettings.fromEnvironment(Map.of("LATCHKEY_METRICS", "prometheus")).mode())
                .isEqualTo(MetricsSettings.Mode.PROMETHEUS);
        assertThat(MetricsSettings.fromEnvironment(Map.of("LATCHKEY_METRICS_NAMESPACE", "Latchkey/prod"))
                .namespace()).isEqualTo("Latchkey/prod");
    }

    @Test
    void fromEnvironmentWhenValueIsBadThenConfigExceptionNamingTheVariable() {
        assertThatThrownBy(() -> MetricsSettings.fromEnvironment(Map.of("LATCHKEY_METRICS", "statsd")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LATCHKEY_METRICS:")
                .hasMessageNotContaining("statsd");
        assertThatThrownBy(() -> MetricsSettings.fromEnvironment(Map.of("LATCHKEY_METRICS_NAMESPACE", "AWS/Lambda")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("LATCHKEY_METRICS_NAMESPACE");
        assertThatThrownBy(() -> MetricsSettings.fromEnvironment(Map.of("LATCHKEY_METRICS_NAMESPACE", "a b")))
                .isInstanceOf(ConfigException.class);
    }
}
