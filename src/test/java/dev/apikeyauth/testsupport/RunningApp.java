package dev.apikeyauth.testsupport;

import dev.apikeyauth.http.App;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;

/** The real app from the real factory, started on a free loopback port for one test class. */
public final class RunningApp implements AutoCloseable {
    /** The key the tests call with; the leak tests search every output for it. */
    public static final String KEY = "test-key-7f3c9a1e5b2d8f40c6e1";
    public static final String WRONG_KEY = "test-key-7f3c9a1e5b2d8f40c6e2";

    private final Javalin app;
    private final App.Services services;

    private RunningApp(Javalin app, App.Services services) {
        this.app = app;
        this.services = services;
    }

    public static RunningApp start(App.Services services) {
        return new RunningApp(App.create(services).start("127.0.0.1", 0), services);
    }

    public static RunningApp start(App.Services.Builder services) {
        return start(services.build());
    }

    /** The app with {@link #KEY} as its only key, identity {@code default}. */
    public static RunningApp withTestKey() {
        return start(services().build());
    }

    /**
     * The production services around {@link #KEY}, for a test to change one or two of; but a stop
     * waits at most 2 s for requests in flight (a test that leaves one behind, or a mutant under
     * mutation testing that does, needn't wait the production 8 s).
     */
    public static App.Services.Builder services() {
        return App.Services.builder(KeyStore.fixed(keySet())).shutdownTimeout(Duration.ofSeconds(2));
    }

    public static KeySet keySet() {
        return KeySet.of(List.of(new ApiKey("default", KeyDigest.of(KEY), null)));
    }

    public int port() {
        return app.port();
    }

    public Javalin app() {
        return app;
    }

    /** Stops the app; its metrics, as {@code /metrics} would show them, go to the leak watch first. */
    @Override
    public void close() {
        LeakWatch.record("metrics", services.metrics().scrape());
        app.stop();
    }
}
