package dev.latchkey.functions.rotatekeys;

import dev.latchkey.core.keys.RotateSigningKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one rotation pass per scheduled event and answers its report. A failure propagates, so
 * Lambda records the invocation as failed and EventBridge's retry policy applies; a pass that
 * lost a race to another one retries inside {@link RotateSigningKeys}.
 */
public final class RotateKeysFunction implements Function<Map<String, Object>, Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(RotateKeysFunction.class);
    private static final Pattern EVENT_ID = Pattern.compile("[A-Za-z0-9._:=+/-]{1,128}");

    private final RotateSigningKeys rotation;

    /** @param rotation the use case */
    public RotateKeysFunction(RotateSigningKeys rotation) {
        this.rotation = rotation;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> event) {
        Object id = event == null ? null : event.get("id");
        String requestId = id instanceof String s && EVENT_ID.matcher(s).matches() ? s : "rotate-keys";
        RotateSigningKeys.Report report = rotation.run(requestId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("changed", report.changed());
        answer.put("active_kid", report.activeKid());
        answer.put("id_token_kid", report.idTokenKid());
        answer.put("created", report.created());
        answer.put("activated", report.activated().orElse(null));
        answer.put("retired", report.retired().orElse(null));
        answer.put("removed", report.removed());
        LOG.info("key rotation {}: active {}, created {}, removed {}", report.changed() ? "changed the ring" : "no-op",
                report.activeKid(), report.created().size(), report.removed().size());
        return answer;
    }
}
