package dev.apikeyauth.ops;

import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful stop on SIGTERM (and Ctrl-C): {@code /health} turns 503, the server stops accepting,
 * in-flight requests finish up to the stop timeout, and the process exits 0.
 *
 * <p>A JVM left to its default handling exits 143 after SIGTERM even when its shutdown hooks
 * succeed, which platforms report as a crash. The hook therefore ends a clean drain with
 * {@code Runtime.halt(0)}: the JDK's documented way for a hook to set the status, without
 * reaching for the internal {@code sun.misc.Signal}.
 */
public final class Shutdown {
    private static final Logger LOG = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /**
     * The stop sequence: health down first (so a probe stops sending traffic), then Jetty stops
     * accepting and waits for in-flight requests up to its stop timeout.
     */
    public static void drain(Javalin app, Health health) {
        long begin = System.nanoTime();
        LOG.info("Shutdown requested: draining in-flight requests");
        health.markDown();
        try {
            app.stop();
            LOG.info("Stopped in {} ms", (System.nanoTime() - begin) / 1_000_000);
        } catch (RuntimeException e) {
            // Jetty gives up on connections still open at the stop timeout (e.g. a client that
            // never finished sending its request) and stops anyway; that is the promised bound,
            // not a failure of the service.
            LOG.warn("Stopped in {} ms; connections still open at the shutdown timeout were closed ({})",
                    (System.nanoTime() - begin) / 1_000_000, e.getMessage());
        }
    }

    /** Drains {@code app} when the JVM is asked to stop, then exits 0. Call once, from {@code main} only. */
    public static void installHook(Javalin app, Health health) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            drain(app, health);
            Logging.flush();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
    }
}
