package dev.apikeyauth.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a keys file's bytes with one open, at most a limit plus one byte, on a thread of its own:
 * whatever the path turns out to be at that moment, the caller waits a bounded time and the read
 * holds a bounded amount of memory.
 *
 * <p>Why a thread: the caller ({@link ReloadingKeyStore}) refuses anything that {@code stat} does
 * not call a regular file before it opens it, but plain Java can neither open without blocking
 * ({@code O_NONBLOCK}) nor ask an open channel what kind of file it is ({@code fstat}'s type). So a
 * FIFO swapped in between the {@code stat} and the open blocks the open until a writer appears,
 * and a FIFO or device with a writer that says nothing blocks the read. The read therefore runs
 * here and the caller gives up after a deadline. A blocked read is interrupted, which closes its
 * channel and frees its thread; a blocked open can't be interrupted and keeps its thread until a
 * writer opens the FIFO. At most {@link #MAX_READERS} such threads exist; while all are blocked,
 * reads are refused at once rather than piling up threads.
 *
 * <p>Why limit + 1 bytes: the one byte over tells "over the limit" from "exactly the limit"
 * without reading the rest. The buffer is sized by the open file's own size ({@code fstat} on the
 * channel, not the path), so a file that grows, or a device or FIFO (size 0) that never ends, is
 * cut off after the limit whatever the path said before the open.
 */
final class KeysFileReader implements AutoCloseable {
    /** Reading at most a MiB of a local or network file takes milliseconds; 2 s is a hang. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Threads a blocked open may hold at once (one per FIFO swapped in at just the wrong moment). */
    static final int MAX_READERS = 4;
    /** Bytes per read call: FileChannel copies through a native buffer as large as each request. */
    private static final int CHUNK = 8192;

    private final long limit;
    private final Duration timeout;
    private final ThreadPoolExecutor readers;

    KeysFileReader(long limit, Duration timeout) {
        if (limit < 0 || limit >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limit must fit in an array: " + limit);
        }
        this.limit = limit;
        this.timeout = timeout;
        this.readers = new ThreadPoolExecutor(0, MAX_READERS, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "keys-file-reader");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Reads the file through one open channel.
     *
     * @return its bytes, at most the limit, in a buffer the caller may keep
     * @throws KeysFileException when it doesn't exist, can't be read, is over the limit, grows while
     *                           it is read, or gives nothing within the deadline
     */
    ByteBuffer read(Path file) throws KeysFileException {
        String name = file.toString();
        Future<ByteBuffer> reading;
        try {
            reading = readers.submit(() -> readOnce(file));
        } catch (RejectedExecutionException e) {
            throw KeysFileException.whole(name, "can't be read (" + MAX_READERS
                    + " earlier reads are still blocked: was it a FIFO?)");
        }
        try {
            return reading.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reading.cancel(true);
            throw KeysFileException.whole(name, "can't be read (nothing within " + timeout.toMillis()
                    + " ms: is it a FIFO or a device?)");
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw KeysFileException.whole(name, "can't be read (interrupted)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof KeysFileException failure) {
                throw failure;
            }
            throw KeysFileException.whole(name, "can't be read (" + e.getCause().getClass().getSimpleName() + ")");
        }
    }

    private ByteBuffer readOnce(Path file) throws KeysFileException {
        String name = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > limit) {
                throw tooLarge(name);
            }
            // One byte more than the open file holds, so growth shows without a second buffer.
            byte[] bytes = new byte[(int) size + 1];
            int read = fill(channel, bytes);
            if (read <= size) {
                return ByteBuffer.wrap(bytes, 0, read).slice();
            }
            // More than its size: it grew, or it is no regular file (a FIFO's or device's size is 0).
            // Count on without keeping anything, to tell "over the limit" from "changed under us".
            if (read + skip(channel, limit + 1 - read) > limit) {
                throw tooLarge(name);
            }
            throw KeysFileException.whole(name, "grew while it was read");
        } catch (NoSuchFileException e) {
            throw KeysFileException.whole(name, "does not exist");
        } catch (IOException e) {
            throw KeysFileException.whole(name, "can't be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads until {@code bytes} is full or the file ends; returns how many bytes were read. */
    private static int fill(FileChannel channel, byte[] bytes) throws IOException {
        int filled = 0;
        while (filled < bytes.length) {
            int n = channel.read(ByteBuffer.wrap(bytes, filled, Math.min(CHUNK, bytes.length - filled)));
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled;
    }

    /** Reads and drops up to {@code most} bytes; returns how many there were. */
    private static long skip(FileChannel channel, long most) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocate(CHUNK);
        long skipped = 0;
        while (skipped < most) {
            scratch.clear().limit((int) Math.min(CHUNK, most - skipped));
            int n = channel.read(scratch);
            if (n < 0) {
                break;
            }
            skipped += n;
        }
        return skipped;
    }

    private KeysFileException tooLarge(String name) {
        return KeysFileException.whole(name, tooLarge(limit));
    }

    /** Why a file over {@code limit} bytes is refused: the same words whether stat or a read found it. */
    static String tooLarge(long limit) {
        return "is larger than " + limit / 1024 + " KiB";
    }

    /** Stops idle readers; a reader blocked in an open stays until the open returns (it is a daemon). */
    @Override
    public void close() {
        readers.shutdownNow();
    }
}
