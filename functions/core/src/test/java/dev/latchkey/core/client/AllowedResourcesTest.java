package dev.latchkey.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.core.resource.Resource;
import dev.latchkey.core.resource.ResourceFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AllowedResources#from}: a client's allowed resource's audience through the resource store. */
class AllowedResourcesTest {

    private final ResourceFixture r = new ResourceFixture();
    private final AllowedResources allowed = AllowedResources.from(r.resourceStore);

    @Test
    void audienceOfWhenResourceOfTheOrganizationThenItsAudience() {
        Resource resource = r.resources.create(r.owner, "API", "https://api.example.com", List.of("read"),
                ResourceFixture.ORIGIN);
        int before = r.resourceStore.reads();

        assertThat(allowed.audienceOf(r.organizationId, resource.resourceId())).contains("https://api.example.com");
        assertThat(r.resourceStore.reads() - before).as("one read").isEqualTo(1);
    }

    @Test
    void audienceOfWhenUnknownOrAnotherOrganizationsThenEmpty() {
        Resource resource = r.resources.create(r.owner, "API", "https://api.example.com", List.of("read"),
                ResourceFixture.ORIGIN);

        assertThat(allowed.audienceOf("org_01JD3ZK8W6Q4V8S2M9N7T5R3P1", resource.resourceId())).isEmpty();
        assertThat(allowed.audienceOf(r.organizationId, "res_01JD3ZK8W6Q4V8S2M9N7T5R3P1")).isEmpty();
    }

    @Test
    void audienceOfWhenResourceDeletedThenEmpty() {
        Resource resource = r.resources.create(r.owner, "API", "https://api.example.com", List.of("read"),
                ResourceFixture.ORIGIN);
        r.resources.delete(r.owner, resource.resourceId(), ResourceFixture.ORIGIN);

        assertThat(allowed.audienceOf(r.organizationId, resource.resourceId())).isEmpty();
    }
}
