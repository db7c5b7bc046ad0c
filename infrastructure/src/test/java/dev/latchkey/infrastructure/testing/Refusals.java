package dev.latchkey.infrastructure.testing;

import org.assertj.core.api.SoftAssertions;

/**
 * What an endpoint × caller matrix asserts of a refused request: the status, the standard error code, and for a
 * 403 the permission the route needs (a 404 names nothing, so another organization's ids leak nothing).
 */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Asserts softly that the response refuses the request with this status.
     *
     * @param status 403 ({@code PERMISSION_DENIED} naming the permission) or 404 ({@code NOT_FOUND})
     * @param permission the route's permission
     * @param where what the assertion is about, for its description
     */
    public static void assertRefused(SoftAssertions softly, LambdaHarness.Response response, int status,
            String permission, String where) {
        softly.assertThat(response.status()).as(where).isEqualTo(status);
        softly.assertThat(response.errorCode()).as(where).isEqualTo(status == 403 ? "PERMISSION_DENIED" : "NOT_FOUND");
        if (status == 403) {
            softly.assertThat(response.errorDetail("permission")).as(where).isEqualTo(permission);
        }
    }
}
