package dev.latchkey.functions.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.health.CheckHealth;
import dev.latchkey.infrastructure.deploy.ApiCatalog;
import dev.latchkey.core.http.Route;
import dev.latchkey.core.store.TableStore;
import dev.latchkey.core.vault.EncryptionContext;
import dev.latchkey.core.vault.KeyVault;
import dev.latchkey.core.vault.SealedSecret;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

    /** The router and the catalog (which template.yaml and Terraform are checked against) agree. */
    @Test
    void routerServesExactlyTheCatalogRoutesOfTheHealthFunction() {
        var router = HealthEndpoints.routes(new CheckHealth(new UpTable(), new UpVault(), Clock.systemUTC(), "t"));
        assertThat(router.routes()).extracting(Route::key).containsExactlyInAnyOrderElementsOf(
                ApiCatalog.function(HealthApplication.FUNCTION).routes().stream().map(Route::key).toList());
        assertThat(router.routes()).isNotEmpty();
    }

    private static final class UpTable implements TableStore {
        @Override
        public void check() {
            // always up
        }

        @Override
        public String tableName() {
            return "t";
        }
    }

    private static final class UpVault implements KeyVault {
        @Override
        public SealedSecret seal(byte[] plaintext, EncryptionContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] open(SealedSecret sealed, EncryptionContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void check() {
            // always up
        }
    }
}
