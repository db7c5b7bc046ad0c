package dev.latchkey.infrastructure.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.latchkey.core.http.Route;
import java.util.Map;
import java.util.Optional;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: just before Lambda snapshots an initialized function, run its hot path ({@link HotPathPriming}:
 * sign and verify an access token, HMAC, Ed25519, JSON — on throwaway keys, no state), build what its parts defer to
 * their first use (the nbvcxz dictionaries, a first Argon2id hash: {@code CompositionRoot.warmUp()}) and read-only
 * store requests (the health check: the AWS SDK's first requests), then, when the function names one, send one
 * read-only request through the whole path (event translation, routing, JSON, the AWS SDK's first call), so the classes
 * they load and the code they warm are in the snapshot instead of in the first request after every restore. Every
 * function is primed ({@link LatchkeyFunctionApplication}). A failing priming request (say, the table is unreachable
 * at deploy time) is logged and ignored: priming is an optimization, never a reason to fail a deployment.
 *
 * <p>The CRaC global context holds resources weakly: whoever registers one keeps a reference to it
 * (the function application registers it as a bean).
 */
public final class SnapStartPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private final ApiGatewayFunction function;
    private final Optional<Route> route;
    private final Runnable storeProbe;
    private final Runnable deferredParts;
    private final HotPathPriming hotPath = new HotPathPriming();
    private int primed;

    /**
     * @param function the function to prime
     * @param route a read-only route of it, without path variables
     */
    public SnapStartPriming(ApiGatewayFunction function, Route route) {
        this(function, Optional.of(route), () -> { });
    }

    /**
     * @param function the function to prime
     * @param route a read-only route of it without path variables, if it has one that touches no state
     * @param storeProbe read-only requests to the function's stores (the health check's table read and key-vault
     *     check: the AWS SDK's first requests), run after the hot path
     */
    public SnapStartPriming(ApiGatewayFunction function, Optional<Route> route, Runnable storeProbe) {
        this(function, route, () -> { }, storeProbe);
    }

    /**
     * @param function the function to prime
     * @param route a read-only route of it without path variables, if it has one that touches no state
     * @param deferredParts builds or warms what the function's parts would otherwise do at their first use
     *     ({@code CompositionRoot.warmUp()}: the nbvcxz dictionaries, one Argon2id hash), run after the hot path
     * @param storeProbe read-only requests to the function's stores (the health check's table read and key-vault
     *     check: the AWS SDK's first requests), run after the deferred parts
     */
    public SnapStartPriming(ApiGatewayFunction function, Optional<Route> route, Runnable deferredParts,
            Runnable storeProbe) {
        this.storeProbe = java.util.Objects.requireNonNull(storeProbe, "storeProbe");
        this.deferredParts = java.util.Objects.requireNonNull(deferredParts, "deferredParts");
        route.ifPresent(r -> {
            if (!r.path().variables().isEmpty()) {
                throw new IllegalArgumentException("priming route must have no path variables: " + r);
            }
        });
        this.function = function;
        this.route = route;
    }

    /** Registers with the CRaC global context (a no-op where the JVM has no CRaC or SnapStart). */
    public SnapStartPriming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to restore: a kept-alive SDK connection from before the snapshot is dead after it, and the JDK sends
        // the first request on it once more on a new connection (BufferedBodyConnections); SecureRandom is reseeded
        // by the runtime.
    }

    /** Runs the hot path, the deferred parts and the store probe, then sends the priming request, if any. */
    void prime() {
        try {
            hotPath.run();
        } catch (RuntimeException e) {
            LOG.warn("SnapStart hot-path priming of {} failed: {}", function.name(), e.getClass().getSimpleName());
        }
        try {
            deferredParts.run();
        } catch (RuntimeException e) {
            LOG.warn("SnapStart priming of {}'s deferred parts failed: {}", function.name(),
                    e.getClass().getSimpleName());
        }
        try {
            storeProbe.run();
        } catch (RuntimeException e) {
            LOG.warn("SnapStart store priming of {} failed: {}", function.name(), e.getClass().getSimpleName());
        }
        route.ifPresent(this::send);
        primed++;
    }

    private void send(Route route) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.key())
                .withRawPath(route.path().text())
                .withRawQueryString("")
                .withHeaders(Map.of("user-agent", "latchkey-snapstart-priming"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRequestId("snapstart-priming")
                        .withRouteKey(route.key())
                        .withStage("$default")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(route.method()).withPath(route.path().text())
                                .withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                        .build())
                .withIsBase64Encoded(false)
                .build();
        try {
            // With the edge the request carries no origin secret (the secret stays out of the priming code), so it goes
            // straight to the routes: the edge would answer 403 and warm nothing behind it.
            int status = function.edge().enabled()
                    ? ApiGatewayEvents.toResponse(function.application().handle(ApiGatewayEvents.toRequest(event)))
                            .getStatusCode()
                    : function.apply(event).getStatusCode();
            LOG.info("SnapStart priming of {} {} answered {}", function.name(), route.key(), status);
        } catch (RuntimeException e) {
            LOG.warn("SnapStart priming of {} failed: {}", function.name(), e.getClass().getSimpleName());
        }
    }

    /** The hot-path priming (for tests). */
    HotPathPriming hotPath() {
        return hotPath;
    }

    /** How many times priming ran (for tests). */
    int primed() {
        return primed;
    }
}
