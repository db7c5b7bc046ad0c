package dev.latchkey.infrastructure.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.support.GenericApplicationContext;

/**
 * {@link FunctionJsonMapper} replaces the factory of the {@link JsonMapper} bean Spring Cloud Function registers (whose
 * own factory needs Joda-Time, which no zip carries); the function tests and {@code LambdaZipRunTest} run the whole
 * invocation path on the zips' classpath without Joda-Time.
 */
class FunctionJsonMapperTest {

    private static GenericApplicationContext contextWithSpringCloudFunctionsMapper() {
        GenericApplicationContext context = new GenericApplicationContext();
        // As ContextFunctionCatalogInitializer registers it: by type, with a factory that here stands for the Joda one.
        context.registerBean(JsonMapper.class, () -> {
            throw new IllegalStateException("Spring Cloud Function's factory was called");
        });
        context.registerBean("latchkeyJsonMapper", FunctionJsonMapper.class, FunctionJsonMapper::new);
        context.refresh();
        return context;
    }

    @Test
    void refreshWhenSpringCloudFunctionRegisteredItsMapperThenBeanIsOursWithItsSettings() {
        try (GenericApplicationContext context = contextWithSpringCloudFunctionsMapper()) {
            JsonMapper mapper = context.getBean(JsonMapper.class);

            assertThat(mapper).isInstanceOf(JacksonMapper.class);
            byte[] json = "{\"a\":1,\"b\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            Map<String, Object> read = mapper.fromJson(json, Map.class);
            assertThat(read).containsEntry("a", 1).containsEntry("b", "x");
            assertThat(new String(mapper.toJson(Map.of("k", "v")), StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"v\"}");
        }
    }
}
