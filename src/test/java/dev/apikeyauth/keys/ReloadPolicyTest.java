package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * When a changed keys file is read, when a failed read is tried again, and what is logged.
 *
 * <p>The store's own poller is set to an hour, so it never runs here: each test calls
 * {@link ReloadingKeyStore#poll()} itself and knows exactly how many polls have happened.
 */
class ReloadPolicyTest {
    static final Duration NEVER = Duration.ofHours(1);
    static final Duration SETTLE = ReloadingKeyStore.DEFAULT_SETTLE;
    static final String OLD_KEY = "policy-old-key-0123456789";
    static final String NEW_KEY = "policy-new-key-0123456789";

    @TempDir
    Path dir;
    ReloadingKeyStore store;
    final CountingReloads counting = new CountingReloads();
    final Logger logger = (Logger) LoggerFactory.getLogger(ReloadingKeyStore.class);
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void watchTheLog() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void close() {
        logger.detachAppender(logged);
        if (store != null) {
            store.close();
        }
    }

    static String line(String id, String key) {
        return id + " " + KeyDigest.of(key).format() + "\n";
    }

    boolean has(String key) {
        return store.current().find(KeyDigest.of(key)) != null;
    }

    ReloadingKeyStore open(Path file, Duration settle) throws KeysFileException {
        store = ReloadingKeyStore.open(file, List.of(), counting, NEVER, settle);
        return store;
    }

    /** Polls every 10 ms until {@code condition} holds, for at most 10 s (the contract's bound). */
    void pollUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            store.poll();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    List<String> messagesAt(Level level) {
        return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    // --- settling: a changed file is read once it has stopped changing for the settle time

    @Test
    void aFileThatKeepsChanging_isNotLoaded_untilItHasSettled() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("old", OLD_KEY));
        open(file, SETTLE);
        StringBuilder text = new StringBuilder(line("new", NEW_KEY));
        long firstChange = System.nanoTime();
        long lastChange;
        do {
            // Longer every time, so every poll sees a change, as during a slow in-place write.
            text.append("# still being written\n");
            lastChange = System.nanoTime();
            Files.writeString(file, text);
            store.poll();
            assertTrue(has(OLD_KEY) && !has(NEW_KEY), "loaded while still changing");
            Thread.sleep(20);
        } while (System.nanoTime() - firstChange < SETTLE.plusMillis(200).toNanos()); // longer than it takes to settle

        store.poll(); // unchanged since the last poll, but not for the settle time yet
        assertTrue(has(OLD_KEY) && !has(NEW_KEY), "loaded before it had settled");

        pollUntil("the settled file is loaded", () -> has(NEW_KEY));
        long restedNanos = System.nanoTime() - lastChange;
        assertTrue(restedNanos >= SETTLE.toNanos(), "loaded after resting only " + restedNanos + " ns");
        assertFalse(has(OLD_KEY));
        assertEquals(1, counting.reloads.get());
        assertEquals(0, counting.failures.get());
    }

    @Test
    void aChangeIsNotReadAtTheFirstPollThatSeesIt_evenWhenTheFileIsComplete() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("old", OLD_KEY));
        open(file, SETTLE);
        Files.writeString(file, line("new", NEW_KEY) + line("old", OLD_KEY));
        store.poll();
        store.poll();
        assertFalse(has(NEW_KEY), "read before the settle time");
        pollUntil("the settled file is loaded", () -> has(NEW_KEY));
        assertEquals(1, counting.reloads.get());
    }

    // --- retrying: a change that could not be read is read again at every poll until it loads

    @Test
    void aFailedReload_isRetried_andLoadsOnceFixed_evenWhenTheFixLooksLikeNoChange() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("old", OLD_KEY));
        open(file, Duration.ZERO);
        String broken = "new sha256:" + "z".repeat(64) + "\n";
        String fixed = line("new", NEW_KEY);
        assertEquals(broken.length(), fixed.length(), "precondition: the fix has the same size");
        Files.writeString(file, broken);
        FileTime brokenAt = Files.getLastModifiedTime(file);
        pollUntil("the failure is counted", () -> counting.failures.get() == 1);
        store.poll();
        store.poll();
        assertTrue(has(OLD_KEY), "the last good keys stay in force");
        assertEquals(1, counting.failures.get(), "a failure is counted once, however often it is retried");

        // Same size, same inode and modification time: to a poll's stat nothing has changed, as
        // when an unreadable file's permissions are fixed. Only retrying the failed read sees it.
        Files.writeString(file, fixed);
        Files.setLastModifiedTime(file, brokenAt);
        store.poll();
        assertTrue(has(NEW_KEY) && !has(OLD_KEY), "the fixed file is loaded at the next poll");
        assertEquals(1, counting.reloads.get());
        assertEquals(1, counting.failures.get());
    }

    @Test
    void aFileRestoredToTheLastGoodKeys_isNoReload_andANewFailureIsCountedAgain() throws Exception {
        String good = line("old", OLD_KEY);
        Path file = Files.writeString(dir.resolve("keys.txt"), good);
        open(file, Duration.ZERO);
        Files.writeString(file, "garbage\n");
        pollUntil("the first failure is counted", () -> counting.failures.get() == 1);

        Files.writeString(file, good);
        pollUntil("the failure is over", () -> messagesAt(Level.INFO).contains(
                "Keys file " + file + " is readable again and unchanged"));
        assertEquals(0, counting.reloads.get(), "the same keys again are not a reload");
        assertTrue(has(OLD_KEY));

        Files.writeString(file, "garbage\n");
        pollUntil("the second failure is counted", () -> counting.failures.get() == 2);
        assertEquals(List.of(
                "Reloading keys failed, the previous 1 key(s) stay in force: keys file " + file
                        + " line 1: expected 'id sha256:<64 hex digits> [expires=<instant>] [scopes=<a,b>]'",
                "Reloading keys failed, the previous 1 key(s) stay in force: keys file " + file
                        + " line 1: expected 'id sha256:<64 hex digits> [expires=<instant>] [scopes=<a,b>]'"),
                messagesAt(Level.ERROR));
    }

    // --- an in-place edit (CONTRACT §2: editing in place must work, without failing any request)

    @Test
    void anInPlaceEdit_whoseWriterStallsBetweenTruncateAndWrite_neverPutsTheEmptyFileInForce() throws Exception {
        // Between the truncate and the write of an in-place edit the file is empty: valid, and
        // holding no keys. A writer that loses the CPU there for longer than the settle time (a
        // loaded machine, a GC pause) must not lock every caller out meanwhile.
        Path file = Files.writeString(dir.resolve("keys.txt"), line("old", OLD_KEY));
        open(file, Duration.ofMillis(50));
        Files.write(file, new byte[0]); // the truncate: same file, now empty
        long truncated = System.nanoTime();
        while (System.nanoTime() - truncated < TimeUnit.SECONDS.toNanos(1)) { // 20 settle times
            store.poll();
            assertTrue(has(OLD_KEY), "the half-done edit was put in force");
            Thread.sleep(10);
        }

        Files.writeString(file, line("new", NEW_KEY) + line("old", OLD_KEY), StandardOpenOption.APPEND);
        pollUntil("the finished edit is loaded", () -> has(NEW_KEY));
        assertTrue(has(OLD_KEY));
        assertEquals(1, counting.reloads.get(), "the empty moment was counted as a reload");
        assertEquals(0, counting.failures.get());
    }

    // --- what is logged when no key is left (CONTRACT §2: a valid file with no keys is a warning)

    @Test
    void anEmptyKeysFileAtStartup_isAWarning_thatEveryRequestWillBeRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), "# nobody\n");
        open(file, Duration.ZERO);
        assertEquals(0, store.current().size());
        assertEquals(List.of("No keys are active (keys file " + file + " holds none): every request will be refused"),
                messagesAt(Level.WARN));
        assertEquals(List.of(), messagesAt(Level.INFO));
    }

    @Test
    void anEmptiedFile_takesEffectWithinTheContractsTenSeconds_withTheDefaults() {
        // Seen at the next poll at worst, rested, read at the first poll after that.
        Duration worstCase = ReloadingKeyStore.DEFAULT_INTERVAL.multipliedBy(2).plus(ReloadingKeyStore.EMPTY_SETTLE);
        assertTrue(worstCase.compareTo(Duration.ofSeconds(10)) < 0, "an emptied file takes up to " + worstCase);
    }

    @Test
    void aKeysFileEmptiedLater_isAWarning_thatEveryRequestWillBeRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("old", OLD_KEY));
        Duration emptySettle = Duration.ofMillis(500); // the default's 5 s, shortened for the test
        store = ReloadingKeyStore.open(file, List.of(), counting, NEVER, Duration.ZERO, emptySettle);
        assertEquals(List.of("Loaded 1 key(s) from " + file + ": [old]"), messagesAt(Level.INFO));
        assertEquals(List.of(), messagesAt(Level.WARN));

        Files.writeString(file, "");
        long emptied = System.nanoTime();
        pollUntil("the empty file is loaded", () -> counting.reloads.get() == 1);
        // It may be an in-place edit's truncate, so it rests longer than the settle time (here 0).
        long restedNanos = System.nanoTime() - emptied;
        assertTrue(restedNanos >= emptySettle.toNanos(), "loaded after only " + restedNanos + " ns");
        assertFalse(has(OLD_KEY));
        assertEquals(List.of("Reloaded keys file " + file + ": no keys are active, every request will be refused"),
                messagesAt(Level.WARN));
    }

    // --- the poller itself

    @Test
    void thePollerIsADaemonThread_soAStoreLeftOpenNeverKeepsTheJvmAlive() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("old", OLD_KEY));
        open(file, Duration.ZERO);
        List<Thread> pollers = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("keys-file-poller")).toList();
        assertFalse(pollers.isEmpty(), "precondition: a poller thread is running");
        assertTrue(pollers.stream().allMatch(Thread::isDaemon), "a poller thread is not a daemon");
    }

    @Test
    void aPathThatCannotBeResolved_isRefusedAtStartup_namingTheFile() throws Exception {
        // A symlink to itself: resolving it fails with "too many levels of symbolic links".
        Path file = Files.createSymbolicLink(dir.resolve("keys.txt"), Path.of("keys.txt"));
        KeysFileException e = assertThrows(KeysFileException.class, () -> open(file, Duration.ZERO));
        assertEquals("keys file " + file + ": can't be read (FileSystemException)", e.getMessage());
    }
}
