package dev.apikeyauth.bench;

import dev.apikeyauth.auth.Authenticator;
import dev.apikeyauth.auth.BearerParser;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The key check alone, as the guard runs it for one {@code Authorization} value: parse the
 * header, hash the token once, look the digest up, check the expiry. A hit, a miss and a near
 * miss (all but the last character of a real key) should cost the same, with 1 key or 10,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyCheckBenchmark {
    @Param({"1", "10000"})
    public int keys;

    @Param({"hit", "miss", "near-miss"})
    public String token;

    private Authenticator authenticator;
    private String header;

    @Setup
    public void setUp() {
        List<ApiKey> list = new ArrayList<>();
        String hit = null;
        for (int i = 0; i < keys; i++) {
            // 43 characters, like a generated key; the last one is the one a near miss changes.
            String key = String.format("bench-key-%032d-", i);
            list.add(new ApiKey("key-" + i, KeyDigest.of(key), null));
            if (i == keys / 2) {
                hit = key;
            }
        }
        authenticator = new Authenticator(KeyStore.fixed(KeySet.of(list)), Clock.systemUTC());
        String value = switch (token) {
            case "hit" -> hit;
            case "miss" -> "not-a-key-at-all-0123456789abcdefghijklmno";
            case "near-miss" -> hit.substring(0, hit.length() - 1) + "x";
            default -> throw new IllegalArgumentException(token);
        };
        header = "Bearer " + value;
        Authenticator.Result result = check();
        boolean ok = result.outcome() == dev.apikeyauth.auth.Outcome.OK;
        if (ok != token.equals("hit")) {
            throw new IllegalStateException(token + " gave " + result.outcome());
        }
    }

    @Benchmark
    public Authenticator.Result check() {
        return authenticator.authenticate(BearerParser.parse(header));
    }
}
