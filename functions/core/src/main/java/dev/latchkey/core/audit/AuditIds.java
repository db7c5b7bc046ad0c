package dev.latchkey.core.audit;

import java.util.regex.Pattern;

/** The identifier shapes the audit log accepts; none can hold {@code @}, {@code #} or a control character. */
final class AuditIds {

    /** The part after a prefix and underscore (generated ids are 26 Crockford base32 characters). */
    private static final Pattern ID_BODY = Pattern.compile("[0-9A-Za-z]{1,64}");

    static final Pattern ORGANIZATION_ID = Pattern.compile("org_[0-9A-Za-z]{1,64}");
    static final Pattern EVENT_ID = Pattern.compile("evt_[0-9A-Za-z]{1,64}");

    private AuditIds() {
    }

    static boolean isId(String value, String prefix) {
        return value.startsWith(prefix + "_") && ID_BODY.matcher(value.substring(prefix.length() + 1)).matches();
    }

    static boolean isOrganizationId(String value) {
        return value != null && ORGANIZATION_ID.matcher(value).matches();
    }
}
