package dev.apikeyauth.keys;

import static dev.apikeyauth.keys.ReloadingKeyStoreTest.await;
import static dev.apikeyauth.keys.ReloadingKeyStoreTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The keys file's path swapped for something that is not a small regular file: a FIFO, a device,
 * a file that keeps growing, one just over the size limit. Each is refused with a logged error and
 * a counted failure, the last good keys stay in force, the poller is not held up, and a valid file
 * written afterwards is picked up.
 */
class ReloadingKeyStoreSwapsTest {
    static final Duration FAST = Duration.ofMillis(10);
    static final Duration SETTLE = Duration.ofMillis(50);
    /** An empty file's rest here: what these tests swap in are not in-place edits, and 5 s each adds up. */
    static final Duration EMPTY_SETTLE = Duration.ofMillis(200);
    static final String KEY_1 = "swaps-key-one-0123456789";
    static final String KEY_2 = "swaps-key-two-0123456789";
    static final String TOO_LARGE = "is larger than 1024 KiB";

    @TempDir
    Path dir;
    Path file;
    ReloadingKeyStore store;
    final CountingReloads counting = new CountingReloads();
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private AppenderBase<ILoggingEvent> appender;
    private Logger logger;

    @BeforeEach
    void open() throws Exception {
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel() == Level.ERROR) {
                    errors.add(event.getFormattedMessage());
                }
            }
        };
        logger = (Logger) LoggerFactory.getLogger(ReloadingKeyStore.class);
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);

        file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        openStore(SETTLE);
    }

    void openStore(Duration settle) throws KeysFileException {
        store = ReloadingKeyStore.open(file, List.of(), counting, FAST, settle, EMPTY_SETTLE);
    }

    @AfterEach
    void close() {
        store.close();
        logger.detachAppender(appender);
    }

    boolean has(String key) {
        return store.current().find(KeyDigest.of(key)) != null;
    }

    /** Puts {@code replacement} at the keys file's path in one atomic rename. */
    void swapIn(Path replacement) throws IOException {
        Files.move(replacement, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits for the failure to be counted once, logged with its reason, with the first key still in force. */
    void awaitRefusal(String reason) throws InterruptedException {
        await("failure counted", () -> counting.failures.get() >= 1);
        String expected = "Reloading keys failed, the previous 1 key(s) stay in force: keys file " + file + ": "
                + reason;
        await("error logged: " + expected, () -> errors.contains(expected));
        assertTrue(has(KEY_1), "the last good keys stay in force");
        assertEquals(0, counting.reloads.get());
    }

    /** A valid file swapped in afterwards is picked up: the poller was not held up. */
    void awaitValidFilePickedUp() throws Exception {
        swapIn(Files.writeString(dir.resolve("valid.tmp"), line("two", KEY_2)));
        await("valid file picked up", () -> has(KEY_2) && !has(KEY_1));
        assertEquals(1, counting.reloads.get());
    }

    @Test
    void aFifoSwappedIn_isRefusedUnopened_andAValidFileAfterIsPickedUp() throws Exception {
        swapIn(KeysFileReaderTest.mkfifo(dir.resolve("keys.fifo")));
        awaitRefusal("is not a regular file");
        awaitValidFilePickedUp();
        assertEquals(1, counting.failures.get());
    }

    @Test
    void aDeviceSwappedInForAFifo_isReportedAgain_thoughForTheSameReason() throws Exception {
        swapIn(KeysFileReaderTest.mkfifo(dir.resolve("keys.fifo")));
        awaitRefusal("is not a regular file");
        swapIn(Files.createSymbolicLink(dir.resolve("device.link"), Path.of("/dev/zero")));
        await("second failure counted", () -> counting.failures.get() == 2);
        assertEquals(2, errors.size(), String.join("\n", errors));
        awaitValidFilePickedUp();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/zero", "/dev/urandom", "/dev/null"})
    void aSymlinkToADeviceSwappedIn_isRefusedUnopened_andAValidFileAfterIsPickedUp(String device) throws Exception {
        swapIn(Files.createSymbolicLink(dir.resolve("device.link"), Path.of(device)));
        awaitRefusal("is not a regular file");
        awaitValidFilePickedUp();
        assertEquals(1, counting.failures.get());
    }

    @Test
    void aGrowingFileSwappedIn_isRefusedOnceItPassesTheLimit_whileItStillGrows_andAValidFileAfterIsPickedUp()
            throws Exception {
        // A file that never stops changing never settles: it must be refused for its size all the same.
        // A settle time longer than any pause of the writer makes sure it is refused unsettled.
        store.close();
        openStore(Duration.ofSeconds(2));
        Path growing = Files.writeString(dir.resolve("growing.txt"), "not a keys file\n");
        swapIn(growing);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
            long size = 0;
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.APPEND)) {
                ByteBuffer chunk = ByteBuffer.wrap("# growing\n".repeat(1638).getBytes(StandardCharsets.UTF_8));
                // About 16 MB/s, up to 256 MiB: it is still growing whenever the poller looks.
                while (!stop.get() && size < 256L * 1024 * 1024) {
                    out.write(chunk.rewind());
                    size = out.size();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return size;
        });

        awaitRefusal(TOO_LARGE);
        assertFalse(writer.isDone(), "refused while it still grows, not once it stopped");
        stop.set(true);
        writer.get(10, TimeUnit.SECONDS);
        // One error for the file, not one per poll that saw it bigger.
        assertEquals(1, errors.stream().filter(e -> e.endsWith(TOO_LARGE)).count(), String.join("\n", errors));
        awaitValidFilePickedUp();
    }

    @Test
    void aFileLongerThanItsSizeSays_isReadNoFurtherThanTheLimit_andRefused() throws Exception {
        // /proc/kallsyms is a regular file whose size is 0 and whose contents run to megabytes: what
        // a file that grows between the poller's stat and its read looks like to the read.
        Path kallsyms = Path.of("/proc/kallsyms");
        Assumptions.assumeTrue(Files.isRegularFile(kallsyms) && Files.size(kallsyms) == 0
                && longerThanTheLimit(kallsyms), "needs Linux's /proc/kallsyms, over 1 MiB long");
        swapIn(Files.createSymbolicLink(dir.resolve("kallsyms.link"), kallsyms));
        awaitRefusal(TOO_LARGE);
        awaitValidFilePickedUp();
    }

    static boolean longerThanTheLimit(Path file) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        try (var in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0 && total <= KeysFile.MAX_BYTES; n = in.read(buffer)) {
                total += n;
            }
        }
        return total > KeysFile.MAX_BYTES;
    }

    @Test
    void aFileOfExactlyTheLimit_isLoaded_andOneByteMoreIsRefused() throws Exception {
        String keys = line("two", KEY_2) + "#";
        String exact = keys + "#".repeat((int) KeysFile.MAX_BYTES - keys.length() - 1) + "\n";
        assertEquals(KeysFile.MAX_BYTES, exact.getBytes(StandardCharsets.UTF_8).length);

        swapIn(Files.writeString(dir.resolve("exact.tmp"), exact + "\n"));
        awaitRefusal(TOO_LARGE);
        assertFalse(has(KEY_2));

        swapIn(Files.writeString(dir.resolve("exact.tmp"), exact));
        await("a file of exactly 1 MiB loaded", () -> has(KEY_2) && !has(KEY_1));
        assertEquals(1, counting.failures.get());
    }

    @Test
    void aFileOverTheLimitAtStartUp_isRefused() throws Exception {
        Path big = Files.write(dir.resolve("big.txt"), new byte[(int) KeysFile.MAX_BYTES + 1]);
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> ReloadingKeyStore.open(big, List.of(), ReloadListener.NONE, FAST, SETTLE));
        assertEquals("keys file " + big + ": " + TOO_LARGE, e.getMessage());
    }

    @Test
    void aFifoAtStartUp_isRefusedUnopened() throws Exception {
        Path fifo = KeysFileReaderTest.mkfifo(dir.resolve("keys.fifo"));
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> ReloadingKeyStore.open(fifo, List.of(), ReloadListener.NONE, FAST, SETTLE));
        assertEquals("keys file " + fifo + ": is not a regular file", e.getMessage());
    }
}
