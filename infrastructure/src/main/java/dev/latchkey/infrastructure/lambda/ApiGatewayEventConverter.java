package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import org.springframework.cloud.function.context.config.JsonMessageConverter;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.messaging.Message;

/**
 * The message converter {@code FunctionInvoker} turns the incoming event with: API Gateway payload 2.0 JSON into an
 * {@link APIGatewayV2HTTPEvent} through {@link ApiGatewayEvents#readEvent}, everything else — the response included,
 * written verbatim by the function's JSON mapper — as Spring Cloud Function's {@link JsonMessageConverter} does.
 * It replaces the adapter's {@code AWSTypesMessageConverter}, which reads AWS event types with
 * {@code aws-lambda-java-serialization} (3.6 MB, and Joda-Time through the events library): no zip carries either.
 */
public final class ApiGatewayEventConverter extends JsonMessageConverter {

    /** @param jsonMapper the function context's JSON mapper (for everything but the API Gateway event) */
    public ApiGatewayEventConverter(JsonMapper jsonMapper) {
        super(jsonMapper);
    }

    @Override
    protected boolean canConvertFrom(Message<?> message, Class<?> targetClass) {
        if (targetClass == APIGatewayV2HTTPEvent.class) {
            return message.getPayload() instanceof byte[] || message.getPayload() instanceof String;
        }
        return super.canConvertFrom(message, targetClass);
    }

    @Override
    protected Object convertFromInternal(Message<?> message, Class<?> targetClass, Object conversionHint) {
        if (targetClass == APIGatewayV2HTTPEvent.class) {
            Object payload = message.getPayload();
            return ApiGatewayEvents.readEvent(payload instanceof String text
                    ? text.getBytes(StandardCharsets.UTF_8) : (byte[]) payload);
        }
        return super.convertFromInternal(message, targetClass, conversionHint);
    }
}
