package dev.latchkey.functions.local;

import dev.latchkey.core.config.ConfigException;
import dev.latchkey.infrastructure.runtime.LatchkeyRuntime;

/**
 * The container's entry point (issue 18, docs/deployment.md "Kubernetes"): every HTTP function on one port, through
 * the local server's routing (the API Gateway event each request becomes, the same function beans Lambda runs) on
 * Jetty, against the real DynamoDB table and KMS key the {@code LATCHKEY_*} variables name. No emulator, no data
 * folder, no demo page; signing keys rotate by schedule ({@code latchkey keys rotate} as a Kubernetes CronJob).
 * Probes: {@code GET /health/live} (the process answers) and {@code GET /health/ready} (table and key vault reachable).
 * Stops cleanly on SIGTERM; exits 2 on a configuration error, naming the variables.
 */
public final class ContainerServer {

    private ContainerServer() {
    }

    /** Starts from the process environment and serves until SIGTERM. */
    public static void main(String[] args) {
        LocalServer server;
        try {
            server = LocalServer.startContainer(LatchkeyRuntime.environment());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Latchkey stopping");
            server.close();
        }, "latchkey-shutdown"));
        System.out.println("Latchkey container listening on port " + server.url().getPort());
        server.awaitStop();
    }
}
