package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.testsupport.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the heads of requests may make the service hold while they arrive: at most 100 fields
 * each, and all unfinished heads together at most a budget, past which the connection whose head
 * would pass it is closed. On a bare Jetty server with a small budget, so that a few heads reach it.
 */
class HeadLimitsTest {
    /** Room for four heads of some 7 KB held unfinished (estimated at twice their bytes), not five. */
    static final long BUDGET = 64 * 1024;
    static final String LONG_HEAD = "GET / HTTP/1.1\r\nHost: t\r\nX-Long: " + "a".repeat(7_000);

    HeadLimits heads;
    Server server;
    int port;

    @BeforeEach
    void start() throws Exception {
        heads = new HeadLimits(BUDGET);
        server = new Server();
        ServerConnector connector = new ServerConnector(server, heads.connectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aHundredFields_areTaken_aHundredAndOne_are431() throws IOException {
        String ninetyNine = "x:1\r\n".repeat(99); // and Host
        assertEquals(200, RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\n" + ninetyNine + "\r\n").status());
        RawHttp.Response refused = RawHttp.send(port, "GET / HTTP/1.1\r\nHost: t\r\n" + ninetyNine + "x:1\r\n\r\n");
        assertEquals(431, refused.status());
    }

    @Test
    void unfinishedHeads_pastTheBudget_areClosed_andTheirShareComesBackWhenOneEnds() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                held.add(sendHead());
            }
            for (Socket socket : held) {
                assertStillOpen(socket);
            }
            assertTrue(heads.held() > 4 * 14_000 && heads.held() <= BUDGET, "held " + heads.held());

            try (Socket fifth = sendHead()) {
                assertClosedByTheService(fifth);
            }
            assertEquals(1, heads.cut());

            held.remove(0).close(); // its share comes back
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (heads.held() > 3 * 15_000) {
                assertTrue(System.nanoTime() < deadline, "held " + heads.held() + " after a head went away");
                Thread.sleep(10);
            }
            try (Socket another = sendHead()) {
                assertStillOpen(another);
                // and it is served once its head ends
                another.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                another.setSoTimeout(5_000);
                assertEquals(200, RawHttp.read(another.getInputStream()).status());
            }
            assertEquals(1, heads.cut());
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private Socket sendHead() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(LONG_HEAD.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static void assertStillOpen(Socket socket) throws IOException {
        socket.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(), "closed by the service");
    }

    private static void assertClosedByTheService(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        try {
            assertEquals(-1, in.read(), "the service answered instead of closing");
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
    }
}
