package dev.apikeyauth.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.testsupport.JarProcess;
import dev.apikeyauth.testsupport.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys file broken every way an operator or a disk can break it, while traffic runs: no
 * request with a key of the last good set fails, each fault is logged, and the service takes the
 * file again once it is fixed.
 */
class KeysFileFaultsSlowIT {
    static final String GOOD_KEY = "faults-good-key-0123456789ab";
    static final String NEW_KEY = "faults-new-key-0123456789abc";
    static final int CLIENTS = 4;

    @TempDir
    Path dir;

    static String line(String id, String key) {
        return id + " " + KeyDigest.of(key).format() + "\n";
    }

    @Test
    void everyFault_keepsTheLastGoodKeys_underTraffic_andTheFixIsPickedUp() throws Exception {
        Path keys = dir.resolve("keys.txt");
        String good = "# the good set\n" + line("good", GOOD_KEY);
        Files.writeString(keys, good);
        int port = JarProcess.freePort();
        try (JarProcess jar = JarProcess.start(Map.of("AUTH_API_KEYS_FILE", keys.toString(), "PORT", "" + port,
                "HOST", "127.0.0.1"), "")) {
            JarProcess.awaitHealthy(port, jar.process);
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Authorization", "Bearer " + GOOD_KEY).build();
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                sent.add(pool.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        n++;
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    }
                    return n;
                }));
            }

            Map<String, ThrowingRunnable> faults = new LinkedHashMap<>();
            faults.put("deleted", () -> Files.delete(keys));
            faults.put("truncated mid-line", () -> Files.writeString(keys, good.substring(0, good.length() - 20)));
            faults.put("made unreadable", () -> {
                // chmod 000 stops everyone but root; a directory in its place stops root too.
                Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("---------"));
                Files.delete(keys);
                Files.createDirectory(keys);
            });
            faults.put("replaced by garbage", () -> {
                byte[] garbage = new byte[4096];
                new java.util.Random(7).nextBytes(garbage);
                Files.write(keys, garbage);
            });
            faults.put("replaced by a 50 MB file", () -> {
                Path big = dir.resolve("big.tmp");
                byte[] chunk = line("filler", "filler-key-0123456789abcdef").getBytes();
                try (var out = Files.newOutputStream(big)) {
                    for (long written = 0; written < 50L * 1024 * 1024; written += chunk.length) {
                        out.write(chunk);
                    }
                }
                Files.move(big, keys, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            });
            // Opening a FIFO for reading blocks until a writer comes; /dev/zero never ends.
            faults.put("replaced by a FIFO", () -> {
                Path fifo = dir.resolve("keys.fifo");
                Process mkfifo = new ProcessBuilder(Tools.require("mkfifo", "coreutils").toString(), fifo.toString())
                        .inheritIO().start();
                assertEquals(0, mkfifo.waitFor(), "mkfifo failed");
                Files.move(fifo, keys, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            });
            faults.put("replaced by a symlink to /dev/zero", () -> {
                Path link = Files.createSymbolicLink(dir.resolve("zero.link"), Path.of("/dev/zero"));
                Files.move(link, keys, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            });
            int errorsBefore = 0;
            for (Map.Entry<String, ThrowingRunnable> fault : faults.entrySet()) {
                restore(keys, good);
                fault.getValue().run();
                int expected = errorsBefore + 1;
                awaitLog(jar, "Reloading keys failed", expected, fault.getKey());
                errorsBefore = expected;
            }

            // The fix: a valid file with a new key beside the good one.
            restore(keys, good + line("new", NEW_KEY));
            HttpRequest fresh = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .header("Authorization", "Bearer " + NEW_KEY).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.send(fresh, HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "the fixed file was not picked up within 10 s");
                Thread.sleep(20);
            }

            running.set(false);
            int total = 0;
            for (Future<Integer> count : sent) {
                total += count.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            System.out.printf("keys-file faults: %d faults, %d requests with the good key, %d failed%n",
                    faults.size(), total, failures.size());
            assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.peek());
            assertTrue(total > 100, "too little traffic: " + total);
            assertEquals(faults.size(), count(jar.out(), "Reloading keys failed"), "one error per fault:\n" + jar.out());
            assertTrue(!jar.out().contains(GOOD_KEY) && !jar.out().contains(NEW_KEY));
        }
    }

    /** Writes the keys file, first removing whatever a fault left that can't be written through. */
    static void restore(Path keys, String text) throws Exception {
        if (Files.exists(keys, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(keys, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(keys); // a directory, a FIFO (writing would block) or a symlink to a device
        }
        Files.writeString(keys, text);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Polls the service's log until the fault has been reported, for at most 10 s. */
    static void awaitLog(JarProcess jar, String needle, int times, String fault) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(jar.out(), needle) < times) {
            assertTrue(System.nanoTime() < deadline, "fault '" + fault + "' not reported within 10 s:\n" + jar.out());
            Thread.sleep(20);
        }
    }
}
