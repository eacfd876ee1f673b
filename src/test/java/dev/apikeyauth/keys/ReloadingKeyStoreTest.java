package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot reload of the keys file: in place, by rename, by Kubernetes symlink swap, and failures. */
class ReloadingKeyStoreTest {
    static final Duration FAST = Duration.ofMillis(10);
    static final Duration SETTLE = Duration.ofMillis(50);
    static final String KEY_1 = "reload-key-one-0123456789";
    static final String KEY_2 = "reload-key-two-0123456789";

    @TempDir
    Path dir;
    ReloadingKeyStore store;
    final CountingReloads counting = new CountingReloads();

    @AfterEach
    void close() {
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

    /** Polls a condition for up to 10 s (the contract's reload bound), returning how long it took. */
    static long await(String what, BooleanSupplier condition) throws InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }

    ReloadingKeyStore open(Path file, List<ApiKey> fixed) throws KeysFileException {
        store = ReloadingKeyStore.open(file, fixed, counting, FAST, SETTLE);
        return store;
    }

    @Test
    void inPlaceEdit_isPickedUp() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of());
        assertTrue(has(KEY_1));
        Files.writeString(file, line("one", KEY_1) + line("two", KEY_2)); // truncate + write, same inode
        await("second key active", () -> has(KEY_2));
        assertTrue(has(KEY_1));
        assertEquals(1, counting.reloads.get());
        assertEquals(0, counting.failures.get());
    }

    @Test
    void replaceByRename_isPickedUp() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of());
        Path next = Files.writeString(dir.resolve("keys.txt.tmp"), line("two", KEY_2));
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await("renamed file active", () -> has(KEY_2) && !has(KEY_1));
        assertEquals(List.of("two"), store.current().ids());
    }

    @Test
    void kubernetesSymlinkSwap_isPickedUp() throws Exception {
        // What the kubelet does: ..2026_01/keys.txt, ..data -> ..2026_01, keys.txt -> ..data/keys.txt;
        // an update writes ..2026_02, swaps ..data by rename, and deletes ..2026_01.
        Path first = Files.createDirectory(dir.resolve("..2026_01"));
        Files.writeString(first.resolve("keys.txt"), line("one", KEY_1));
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Path file = Files.createSymbolicLink(dir.resolve("keys.txt"), Path.of("..data", "keys.txt"));
        open(file, List.of());
        assertTrue(has(KEY_1));

        Path second = Files.createDirectory(dir.resolve("..2026_02"));
        Files.writeString(second.resolve("keys.txt"), line("two", KEY_2));
        Path tmpLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(tmpLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(first.resolve("keys.txt"));
        Files.delete(first);

        long millis = await("swapped secret active", () -> has(KEY_2) && !has(KEY_1));
        assertTrue(millis < 10_000);
        assertEquals(1, counting.reloads.get());
    }

    @Test
    void invalidFile_keepsTheLastGoodKeys_failsOnce_andRecovers() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of());
        Files.writeString(file, "one sha256:not-hex\n");
        await("failure counted", () -> counting.failures.get() == 1);
        assertTrue(has(KEY_1), "last good set stays in force");
        // The poller retries the bad file many times over; it is logged and counted once.
        long polled = System.nanoTime();
        await("many polls later", () -> System.nanoTime() - polled > TimeUnit.MILLISECONDS.toNanos(300));
        assertEquals(1, counting.failures.get());
        Files.writeString(file, line("two", KEY_2) + "# fixed\n");
        await("fixed file active", () -> has(KEY_2) && !has(KEY_1));
        assertEquals(1, counting.reloads.get());
    }

    @Test
    void deletedFile_keepsTheKeys_andIsPickedUpWhenItReturns() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of());
        Files.delete(file);
        await("deletion counted as a failure", () -> counting.failures.get() == 1);
        assertTrue(has(KEY_1));
        Files.writeString(file, line("two", KEY_2));
        await("recreated file active", () -> has(KEY_2));
        assertFalse(has(KEY_1));
    }

    @Test
    void unreadablePath_keepsTheKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of());
        // chmod can't make a file unreadable for root; a directory in its place can't be read by anyone.
        Files.delete(file);
        Files.createDirectory(file);
        await("failure counted", () -> counting.failures.get() >= 1);
        assertTrue(has(KEY_1));
    }

    @Test
    void oversizedFile_isRefused_withoutReadingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of());
        Files.write(file, new byte[(int) KeysFile.MAX_BYTES + 1]);
        await("failure counted", () -> counting.failures.get() == 1);
        assertTrue(has(KEY_1));
    }

    @Test
    void fixedKeys_stayInForce_andTheirIdsAreReserved() throws Exception {
        ApiKey fixed = new ApiKey("default", KeyDigest.of("the-env-key-0123456789"), null);
        Path file = Files.writeString(dir.resolve("keys.txt"), line("one", KEY_1));
        open(file, List.of(fixed));
        assertEquals(List.of("default", "one"), store.current().ids());
        Files.writeString(file, line("default", KEY_2));
        await("reserved id refused", () -> counting.failures.get() == 1);
        assertEquals(List.of("default", "one"), store.current().ids());
    }

    @Test
    void invalidFileAtStartup_isRefused_withFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("keys.txt"), "# header\n" + line("one", KEY_1) + "oops\n");
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> ReloadingKeyStore.open(file, List.of(), counting, FAST, SETTLE));
        assertEquals("keys file " + file + " line 3: expected 'id sha256:<64 hex digits> [expires=<instant>] [scopes=<a,b>]'",
                e.getMessage());
    }

    @Test
    void missingFileAtStartup_isRefused() {
        Path file = dir.resolve("absent.txt");
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> ReloadingKeyStore.open(file, List.of(), counting, FAST, SETTLE));
        assertEquals("keys file " + file + ": does not exist", e.getMessage());
    }

    @Test
    void invalidUtf8_isRefused() throws IOException {
        Path file = Files.write(dir.resolve("keys.txt"), new byte[] {'c', 'i', ' ', (byte) 0xff, '\n'});
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> ReloadingKeyStore.open(file, List.of(), counting, FAST, SETTLE));
        assertEquals("keys file " + file + ": is not valid UTF-8", e.getMessage());
    }

    @Test
    void emptyFile_isValid_andHoldsNoKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), "", StandardCharsets.UTF_8);
        open(file, List.of());
        assertEquals(0, store.current().size());
        assertNull(store.current().find(KeyDigest.of(KEY_1)));
        assertNotNull(store.file());
    }
}
