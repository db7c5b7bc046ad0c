package dev.latchkey.core.audit;

import java.util.Set;

/**
 * Which audit events a store may keep as a per-minute summary instead of one item each (issue 16: at most one write
 * per issued token; docs/performance.md "How successful issuance is recorded"): a <b>successful</b> token issue to a
 * service client or an API key in an organization — {@code token.client_credentials}, {@code token.jwt_bearer},
 * {@code api_key.exchanged}. Every failure, and every other event, is always recorded one by one.
 *
 * <p>A summary groups the events of one minute with the same organization, actor, action, target, source address
 * and details (the resource id and scopes): it keeps their {@code count}, the first event's time and request id and
 * the last event's time and request id. A token to a new address is the first of a summary of its own, so no
 * address a client's tokens went to is ever lost, and adding an event never needs a condition or a second write
 * whatever the number of addresses (a fleet of workers behind many addresses). It answers "which client got
 * how many tokens for which resource and scopes, from where, in which minute"; a single token's {@code jti} and
 * second are not kept (the token carries them; a client's tokens are revoked by revoking the client's credentials,
 * and they expire within the access-token lifetime).
 */
public final class IssuanceSummaries {

    /** Actions that may be summarized when successful. */
    public static final Set<String> ACTIONS = Set.of("token.client_credentials", "token.jwt_bearer",
            "api_key.exchanged");

    /** The detail holding a summary's event count. */
    public static final String COUNT = "count";

    private IssuanceSummaries() {
    }

    /** Whether {@code event} may be kept in a summary: a successful issue in an organization. */
    public static boolean summarized(AuditEvent event) {
        return event.outcome() == Outcome.SUCCESS && event.organizationId().isPresent()
                && ACTIONS.contains(event.action());
    }
}
