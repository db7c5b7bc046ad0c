package dev.latchkey.infrastructure.lambda;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.cloud.function.json.JacksonMapper;
import org.springframework.cloud.function.json.JsonMapper;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;

/**
 * Spring Cloud Function's JSON mapper, built without the Joda-Time module, so no zip carries Joda-Time and
 * {@code jackson-datatype-joda} (0.7 MB).
 *
 * <p>Spring Cloud Function's functional registration always registers a {@link JsonMapper} bean whose factory
 * ({@code ContextFunctionCatalogAutoConfiguration.JsonMapperConfiguration.jackson}) adds Jackson's Joda module and
 * sets Joda's time-zone provider; no property turns that off. No Latchkey payload holds a Joda type (API Gateway v2
 * events and responses, the scheduled event as a map), so this post-processor, run after that registration, gives
 * every {@link JsonMapper} bean definition this factory instead: the same mapper settings, no Joda module.
 */
final class FunctionJsonMapper implements BeanFactoryPostProcessor {

    /** The mapper Spring Cloud Function would build, less the Joda module. */
    static JsonMapper create() {
        return new JacksonMapper(tools.jackson.databind.json.JsonMapper.builder()
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false)
                .configure(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION, false)
                .build());
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        for (String name : beanFactory.getBeanNamesForType(JsonMapper.class, true, false)) {
            if (beanFactory.getBeanDefinition(name) instanceof AbstractBeanDefinition definition) {
                definition.setInstanceSupplier(FunctionJsonMapper::create);
            }
        }
    }
}
