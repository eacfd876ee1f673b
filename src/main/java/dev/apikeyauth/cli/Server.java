package dev.apikeyauth.cli;

import dev.apikeyauth.config.Config;
import dev.apikeyauth.config.ConfigException;
import dev.apikeyauth.http.App;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.Keys;
import dev.apikeyauth.keys.KeysFileException;
import dev.apikeyauth.keys.ReloadingKeyStore;
import dev.apikeyauth.ops.Health;
import dev.apikeyauth.ops.Logging;
import dev.apikeyauth.ops.Metrics;
import dev.apikeyauth.ops.Shutdown;
import io.javalin.Javalin;
import java.io.PrintStream;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code serve} command: configuration, keys, the app from the factory, and graceful stop. */
final class Server {
    /** The identity of the key generated for one interactive run. */
    static final String ONE_RUN_ID = "generated";

    private Server() {
    }

    /**
     * Starts the service and returns it running; the caller decides whether signals stop it.
     *
     * @param env         the environment
     * @param interactive whether a person is at a terminal (only then may a key be generated)
     * @param err         where the one-run key is shown
     * @throws ConfigException when the configuration can't be served
     */
    static Running start(Map<String, String> env, boolean interactive, PrintStream err) {
        Config config = Config.fromEnv(env);
        String oneRunKey = null;
        if (!config.hasKeySource()) {
            if (!interactive) {
                throw new ConfigException("no API key configured: set " + Config.AUTH_API_KEY + " (one key) or "
                        + Config.AUTH_API_KEYS_FILE + " (a keys file); " + Config.GENERATE_HINT);
            }
            oneRunKey = Keys.generate();
        }
        Logging.configure(config.logFormat());
        Logger log = LoggerFactory.getLogger(Server.class);

        List<ApiKey> keys = new ArrayList<>();
        config.apiKey().ifPresent(digest -> keys.add(new ApiKey(Keys.DEFAULT_ID, digest, null)));
        if (oneRunKey != null) {
            keys.add(new ApiKey(ONE_RUN_ID, KeyDigest.of(oneRunKey), null));
        }
        KeyStore store = KeyStore.fixed(KeySet.of(keys));
        Metrics metrics = new Metrics(); // counts the keys file's reloads and failures
        if (config.keysFile().isPresent()) {
            try {
                store = ReloadingKeyStore.open(config.keysFile().get(), keys, metrics,
                        ReloadingKeyStore.DEFAULT_INTERVAL, ReloadingKeyStore.DEFAULT_SETTLE);
            } catch (KeysFileException e) {
                throw new ConfigException(Config.AUTH_API_KEYS_FILE + ": " + e.getMessage());
            }
        }
        KeySet keySet = store.current();

        long heap = Runtime.getRuntime().maxMemory();
        int maxConnections = config.maxConnections().orElse(App.defaultMaxConnections(heap));
        App.Services services = App.Services.builder(store)
                .shutdownTimeout(config.shutdownTimeout())
                .metrics(metrics)
                .keyHeader(config.keyHeader().orElse(null))
                .trustedProxies(config.forwardedAllowIps())
                .cloudProject(config.googleCloudProject())
                .maxConnections(maxConnections)
                .build();
        Javalin app = App.create(services);
        try {
            app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            app.stop();
            if (hasCause(e, BindException.class)) {
                throw new ConfigException("can't listen on " + config.host() + ":" + config.port()
                        + " (" + rootMessage(e) + "); set " + Config.PORT + " to a free port or "
                        + Config.HOST + " to an address of this machine");
            }
            throw e;
        }
        log.info("Listening on http://{}:{} with {} key(s): {}", config.host(), app.port(), keySet.size(),
                keySet.ids());
        log.info("At most {} connections at once ({}; heap {} MiB)", maxConnections,
                config.maxConnections().isPresent() ? Config.MAX_CONNECTIONS : "derived from the heap",
                heap / (1024 * 1024));
        if (oneRunKey != null) {
            printOneRunKey(err, oneRunKey, config.host(), app.port());
        }
        return new Running(app, services.health());
    }

    /**
     * The started service.
     *
     * @param app    the running app
     * @param health its health, for the stop sequence
     */
    record Running(Javalin app, Health health) {
        /** Makes SIGTERM drain and exit 0. */
        void stopOnSignal() {
            Shutdown.installHook(app, health);
        }
    }

    private static void printOneRunKey(PrintStream err, String key, String host, int port) {
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        err.println();
        err.println("No " + Config.AUTH_API_KEY + " or " + Config.AUTH_API_KEYS_FILE
                + " is set, so this run uses a key generated just now.");
        err.println("It lives only as long as this process. Set " + Config.AUTH_API_KEY
                + " for a key that lasts.");
        err.println();
        err.println("  key:  " + key);
        err.println("  try:  curl -H 'Authorization: Bearer " + key + "' http://" + shownHost + ":" + port + "/");
        err.println();
        err.flush();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
