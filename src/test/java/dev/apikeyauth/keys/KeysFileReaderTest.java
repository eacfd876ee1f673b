package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.Tools;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read behind every keys-file load, given directly what a path swapped between the poller's
 * {@code stat} and its open would give it: a FIFO, a device, an endless stream. Whatever it is,
 * the read is one open, holds at most the limit plus one byte, and returns within its deadline.
 */
class KeysFileReaderTest {
    static final long LIMIT = KeysFile.MAX_BYTES;
    static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path dir;
    final List<KeysFileReader> readers = new ArrayList<>();
    final List<FileChannel> released = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (KeysFileReader reader : readers) {
            reader.close();
        }
        for (FileChannel channel : released) {
            channel.close();
        }
    }

    KeysFileReader reader(Duration timeout) {
        KeysFileReader reader = new KeysFileReader(LIMIT, timeout);
        readers.add(reader);
        return reader;
    }

    /** Makes a FIFO with the real {@code mkfifo}; in CI a missing tool is a failure, not a skip. */
    static Path mkfifo(Path path) throws Exception {
        Path tool = Tools.require("mkfifo", "coreutils");
        Process process = new ProcessBuilder(tool.toString(), path.toString()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "mkfifo did not finish");
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.exitValue(), "mkfifo failed: " + output);
        return path;
    }

    /**
     * Opens the FIFO for reading and writing, which on Linux never blocks and counts as a writer:
     * a reader stuck in its open of the FIFO gets through. Closed after the test.
     */
    FileChannel holdOpen(Path fifo) throws IOException {
        FileChannel channel = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        released.add(channel);
        return channel;
    }

    static String refusal(Path file, String problem) {
        return "keys file " + file + ": " + problem;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Bytes allocated on the heap so far by the threads named {@code keys-file-reader}. */
    static long readerAllocations() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("keys-file-reader")) {
                total += threads.getThreadAllocatedBytes(thread.getId());
            }
        }
        return total;
    }

    @Test
    void aFileOfExactlyTheLimit_isReadWhole_inOneBufferOfItsSize() throws Exception {
        byte[] content = new byte[(int) LIMIT];
        Arrays.fill(content, (byte) '#');
        content[content.length - 1] = '\n';
        Path file = Files.write(dir.resolve("keys.txt"), content);
        KeysFileReader reader = reader(KeysFileReader.DEFAULT_TIMEOUT);
        reader.read(Files.writeString(dir.resolve("warm-up.txt"), "#\n")); // starts the reader thread
        long before = readerAllocations();

        ByteBuffer read = reader.read(file);

        long allocated = readerAllocations() - before;
        assertArrayEquals(content, bytes(read));
        assertTrue(allocated >= LIMIT && allocated < LIMIT + 64 * 1024,
                "one buffer of the file's size plus one byte, not " + allocated + " bytes");
    }

    @Test
    void aFileOneByteOverTheLimit_isRefused() throws Exception {
        Path file = Files.write(dir.resolve("keys.txt"), new byte[(int) LIMIT + 1]);
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> reader(KeysFileReader.DEFAULT_TIMEOUT).read(file));
        assertEquals(refusal(file, "is larger than 1024 KiB"), e.getMessage());
    }

    @Test
    void devZero_isCutOffAfterTheLimit_withoutHoldingIt() throws Exception {
        Path zero = Path.of("/dev/zero");
        KeysFileReader reader = reader(KeysFileReader.DEFAULT_TIMEOUT);
        reader.read(Files.writeString(dir.resolve("warm-up.txt"), "#\n"));
        long before = readerAllocations();

        KeysFileException e = assertThrows(KeysFileException.class, () -> reader.read(zero));

        long allocated = readerAllocations() - before;
        assertEquals(refusal(zero, "is larger than 1024 KiB"), e.getMessage());
        // Its size is 0: a one-byte buffer and a scratch buffer to count the rest with.
        assertTrue(allocated < 64 * 1024, "counted, not kept: " + allocated + " bytes");
    }

    @Test
    void devUrandom_isCutOffAfterTheLimit() {
        Path random = Path.of("/dev/urandom");
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> reader(KeysFileReader.DEFAULT_TIMEOUT).read(random));
        assertEquals(refusal(random, "is larger than 1024 KiB"), e.getMessage());
    }

    @Test
    void aFifoWithAnEndlessWriter_isCutOffAfterTheLimit() throws Exception {
        Path fifo = mkfifo(dir.resolve("keys.fifo"));
        CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() -> {
            long written = 0;
            try (FileChannel out = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                ByteBuffer chunk = ByteBuffer.wrap("# more and more\n".repeat(512).getBytes());
                while (written < 64 * LIMIT) {
                    written += out.write(chunk.rewind());
                }
            } catch (IOException e) {
                // Broken pipe: the reader stopped listening, which is the point.
            }
            return written;
        });

        KeysFileException e = assertThrows(KeysFileException.class,
                () -> reader(KeysFileReader.DEFAULT_TIMEOUT).read(fifo));

        assertEquals(refusal(fifo, "is larger than 1024 KiB"), e.getMessage());
        long written = writer.get(10, TimeUnit.SECONDS);
        assertTrue(written < 64 * LIMIT, "the reader hung up after the limit, the writer wrote " + written);
    }

    @Test
    void aFifoWithoutAWriter_isGivenUpAfterTheDeadline_andTheNextReadStillWorks() throws Exception {
        Path fifo = mkfifo(dir.resolve("keys.fifo"));
        Path file = Files.writeString(dir.resolve("keys.txt"), "# fine\n");
        KeysFileReader reader = reader(SHORT);
        long begin = System.nanoTime();

        KeysFileException e = assertThrows(KeysFileException.class, () -> reader.read(fifo));

        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertEquals(refusal(fifo, "can't be read (nothing within 300 ms: is it a FIFO or a device?)"),
                e.getMessage());
        assertTrue(millis >= 300 && millis < 5_000, "gave up after " + millis + " ms");
        // The open is still stuck on its own thread; the next read gets another one.
        assertEquals("# fine\n", new String(bytes(reader.read(file))));
        holdOpen(fifo);
    }

    @Test
    void aFifoWhoseWriterSaysNothing_isGivenUp_andItsReadInterrupted() throws Exception {
        Path fifo = mkfifo(dir.resolve("keys.fifo"));
        holdOpen(fifo); // a writer that never writes: the open returns, the read blocks
        KeysFileReader reader = reader(SHORT);
        // More attempts than there are reader threads: each blocked read must have freed its thread.
        for (int i = 0; i < 2 * KeysFileReader.MAX_READERS; i++) {
            KeysFileException e = assertThrows(KeysFileException.class, () -> reader.read(fifo));
            assertEquals(refusal(fifo, "can't be read (nothing within 300 ms: is it a FIFO or a device?)"),
                    e.getMessage(), "attempt " + i);
        }
    }

    @Test
    void opensBlockedOnFifos_holdAtMostMaxReaders_thenReadsAreRefusedAtOnce_untilTheyGetThrough() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.txt"), "# fine\n");
        KeysFileReader reader = reader(SHORT);
        List<Path> fifos = new ArrayList<>();
        for (int i = 0; i < KeysFileReader.MAX_READERS; i++) {
            Path fifo = mkfifo(dir.resolve("keys-" + i + ".fifo"));
            fifos.add(fifo);
            assertThrows(KeysFileException.class, () -> reader.read(fifo));
        }

        long begin = System.nanoTime();
        KeysFileException e = assertThrows(KeysFileException.class, () -> reader.read(file));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertEquals(refusal(file, "can't be read (4 earlier reads are still blocked: was it a FIFO?)"),
                e.getMessage());
        assertTrue(millis < 300, "refused without waiting, took " + millis + " ms");

        for (Path fifo : fifos) {
            holdOpen(fifo); // lets each stuck open through; its cancelled read then ends at once
        }
        ReloadingKeyStoreTest.await("a reader thread free again", () -> {
            try {
                return "# fine\n".equals(new String(bytes(reader.read(file))));
            } catch (KeysFileException stillBlocked) {
                return false;
            }
        });
    }

    @Test
    void aMissingFile_doesNotExist() {
        Path file = dir.resolve("absent.txt");
        KeysFileException e = assertThrows(KeysFileException.class,
                () -> reader(KeysFileReader.DEFAULT_TIMEOUT).read(file));
        assertEquals(refusal(file, "does not exist"), e.getMessage());
    }
}
