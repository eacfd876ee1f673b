package dev.apikeyauth.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Logback's console appender with a buffer: lines are gathered and written to standard output
 * every {@link #FLUSH_MILLIS} ms (or when the buffer fills), not with one {@code write(2)} each.
 *
 * <p>The access log writes a line per request, and on one CPU a system call per line was a large
 * share of what a request cost. A line reaches the output at most {@link #FLUSH_MILLIS} ms late;
 * a {@code WARN} or {@code ERROR} line is written at once with what is pending, and everything is
 * written when logging stops ({@link Logging#flush()}, from the shutdown hook and before an exit).
 * What a {@code kill -9} or a crash of the JVM itself leaves in the buffer is lost.
 */
public final class BufferedConsoleAppender extends ConsoleAppender<ILoggingEvent> {
    /** The longest a line waits in the buffer. */
    static final long FLUSH_MILLIS = 100;
    private static final int BUFFER_BYTES = 32 * 1024;

    private volatile boolean pending;
    private Thread flusher;

    @Override
    public void start() {
        setImmediateFlush(false);
        super.start();
        if (isStarted()) {
            flusher = new Thread(this::flushPeriodically, "log-flusher");
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    @Override
    public void stop() {
        if (flusher != null) {
            flusher.interrupt();
            flusher = null;
        }
        flush();
        super.stop();
    }

    @Override
    protected OutputStream wrapTarget(OutputStream target) {
        return new BufferedOutputStream(super.wrapTarget(target), BUFFER_BYTES);
    }

    @Override
    protected void subAppend(ILoggingEvent event) {
        super.subAppend(event);
        pending = true;
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            flush();
        }
    }

    /** Writes out what the buffer holds. */
    void flush() {
        if (!pending) {
            return;
        }
        streamWriteLock.lock();
        try {
            pending = false;
            OutputStream out = getOutputStream();
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            addError("could not flush standard output", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    private void flushPeriodically() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(FLUSH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            flush();
        }
    }
}
