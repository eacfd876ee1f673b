package dev.apikeyauth.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Jetty's HTTP/1.1 connections ({@link #connectionFactory}), with two limits on what the heads of requests can make the service
 * hold while they arrive. Jetty limits a head by its bytes only (8 KiB here), and keeps what it has
 * parsed of it until it ends: a client that sends a head and then stalls holds that memory for as
 * long as the idle timeout lets it (bench/RESULTS.md, "Memory per connection"):
 * <ul>
 *   <li>a request with more than {@link #MAX_FIELDS} header fields is refused with 431, like a head
 *       over 8 KiB: within 8 KiB, some 1,600 four-byte fields ({@code x:1}) fit, and each is a field
 *       object and two strings until the head ends: dozens of times a connection's own cost. A hundred
 *       is Apache httpd's and Tomcat's limit too; browsers and proxies send a few dozen;</li>
 *   <li>all unfinished heads together may hold at most {@code maxHeldBytes} of heap (estimated: each
 *       byte received twice over, plus {@link #FIELD_BYTES} a field); a connection whose head would
 *       pass that is closed. With at most 100 fields a stalled head still holds several times what
 *       a connection does, so without this the connection cap alone would not bound memory.</li>
 * </ul>
 */
final class HeadLimits {
    static final int MAX_FIELDS = 100;
    /** The heap one parsed field takes beyond its bytes: the field, two strings and their arrays. */
    static final long FIELD_BYTES = 128;

    private final long maxHeldBytes;
    private final AtomicLong held = new AtomicLong();
    private final LongAdder cut = new LongAdder();

    /** @param maxHeldBytes the heap all unfinished heads together may hold */
    HeadLimits(long maxHeldBytes) {
        this.maxHeldBytes = maxHeldBytes;
    }

    /** Jetty's factory of HTTP/1.1 connections, making them with these limits. */
    HttpConnectionFactory connectionFactory(HttpConfiguration configuration) {
        return new HttpConnectionFactory(configuration) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                HttpConnection connection = new Limited(getHttpConfiguration(), connector, endPoint);
                connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
                return configure(connection, connector, endPoint);
            }
        };
    }

    /** The heap the unfinished heads hold now (estimated). */
    long held() {
        return held.get();
    }

    /** Connections closed because their head would have passed the limit on all heads. */
    long cut() {
        return cut.sum();
    }

    private final class Limited extends HttpConnection {
        /** The connection's bytes in when the head being received began. */
        private long headStart;
        private int fields;
        /** This connection's share of {@link #held}; written under the lock, by this connection's reads. */
        private long counted;
        private final Object lock = new Object();

        Limited(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
        }

        @Override
        protected RequestHandler newRequestHandler() {
            return new Counting();
        }

        @Override
        public void onFillable() {
            try {
                super.onFillable();
            } finally {
                account();
            }
        }

        @Override
        public void onClose(Throwable cause) {
            try {
                super.onClose(cause);
            } finally {
                settle(0);
            }
        }

        /** After each read: what this connection's unfinished head holds, against the limit on all. */
        private void account() {
            HttpParser parser = getParser();
            boolean receivingHead = !parser.isStart() && parser.inHeaderState()
                    && getHttpChannel().getRequest() == null;
            if (!receivingHead && counted == 0) {
                // The common case, a whole head read at once: nothing held, and the count shared
                // by all connections is left alone (it would be one more contended write per read).
                return;
            }
            boolean over;
            synchronized (lock) {
                long estimate = receivingHead ? 2 * Math.max(0, getBytesIn() - headStart) + FIELD_BYTES * fields : 0;
                over = settle(estimate) > maxHeldBytes && estimate > 0;
                if (over) {
                    settle(0);
                }
            }
            if (over) {
                cut.increment();
                getEndPoint().close();
            }
        }

        /** Sets this connection's share of the heads' heap to {@code estimate}; returns the new total. */
        private long settle(long estimate) {
            synchronized (lock) {
                long total = held.addAndGet(estimate - counted);
                counted = estimate;
                return total;
            }
        }

        private void headEnded() {
            synchronized (lock) {
                headStart = getBytesIn();
                fields = 0;
            }
        }

        /** Jetty's handler of parsed requests, counting each head's fields and marking where heads end. */
        private final class Counting extends RequestHandler {
            @Override
            public void parsedHeader(HttpField field) {
                int count;
                synchronized (lock) {
                    count = ++fields;
                }
                if (count > MAX_FIELDS) {
                    // The parser answers it like a head over the byte limit, and closes the connection.
                    throw new HttpException.RuntimeException(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431,
                            "Too many header fields");
                }
                super.parsedHeader(field);
            }

            @Override
            public boolean headerComplete() {
                headEnded();
                return super.headerComplete();
            }

            @Override
            public boolean messageComplete() {
                headEnded();
                return super.messageComplete();
            }
        }
    }
}
