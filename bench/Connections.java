import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens and holds N connections to the service, all in one state, so that a heap histogram and
 * NMT summary taken before and after, divided by N, give the cost of one connection in that state.
 *
 * <p>Run in source-file mode (JDK 11+), no build:
 * <pre>
 *   java bench/Connections.java PORT KEY MODE N
 * </pre>
 * MODE is one of
 * <ul>
 *   <li>{@code idle}: connected, nothing sent (a connection the service has accepted and waits on);</li>
 *   <li>{@code partial}: the request line and part of the headers sent, the rest never comes (a
 *       slowloris client mid-request);</li>
 *   <li>{@code headers}: as {@code partial}, but with the most a request's head can make the service
 *       hold: 99 fields (the most it takes), 97 of them the smallest a parser accepts ({@code x:1}),
 *       and a last one 7,400 bytes long, unfinished, all within the 8 KiB limit;</li>
 *   <li>{@code tiny}: 1,600 of those smallest fields, unfinished, within 8 KiB: what a head held
 *       before the service limited the number of fields;</li>
 *   <li>{@code kept}: one authorised {@code GET /} sent and its whole answer read, then the connection
 *       is kept alive and silent (a keep-alive client after its first request);</li>
 *   <li>{@code reused}: the same, with two requests one after the other (a keep-alive client between
 *       requests, as every connection of a load tool like wrk is);</li>
 *   <li>{@code trickle}: slowloris, a request's head a byte at a time: every connection gets one more
 *       byte each second, and one the service closes is opened again, until standard input ends.</li>
 * </ul>
 * It prints {@code held N MODE} once every connection is in its state (connections the service
 * closed are counted as {@code closed=}), then holds them until standard input ends ({@code trickle}
 * then prints {@code trickled: ...} with how many the service closed).
 * One thread and non-blocking sockets, so the client itself stays small.
 */
public final class Connections {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java Connections.java PORT KEY idle|partial|headers|tiny|kept|reused|trickle N");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String key = args[1];
        String mode = args[2];
        int n = Integer.parseInt(args[3]);
        if (mode.equals("trickle")) {
            trickle(port, n);
            return;
        }
        byte[] request = switch (mode) {
            case "idle" -> new byte[0];
            case "partial" -> ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nUser-Agent: Connections\r\nX-Slow: a").getBytes(StandardCharsets.US_ASCII);
            case "headers" -> ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "x:1\r\n".repeat(97) + "X-Long: "
                    + "a".repeat(7400)).getBytes(StandardCharsets.US_ASCII);
            case "tiny" -> ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "x:1\r\n".repeat(1600) + "X-Slow: a")
                    .getBytes(StandardCharsets.US_ASCII);
            case "kept", "reused" -> ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nUser-Agent: Connections\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
        List<SocketChannel> held = new ArrayList<>();
        int closed = 0;
        try (Selector selector = Selector.open()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            int pending = 0;
            int next = 0;
            ByteBuffer scratch = ByteBuffer.allocate(4096);
            while (next < n || pending > 0) {
                // At most 200 connects in flight: the service's accept backlog is finite.
                while (next < n && pending < 200) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    channel.connect(address);
                    channel.register(selector, SelectionKey.OP_CONNECT, new State(request));
                    held.add(channel);
                    next++;
                    pending++;
                }
                selector.select(1000);
                for (SelectionKey selected : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) selected.channel();
                    State state = (State) selected.attachment();
                    try {
                        if (selected.isConnectable()) {
                            channel.finishConnect();
                            if (request.length == 0) {
                                selected.interestOps(0);
                                pending--;
                                continue;
                            }
                            selected.interestOps(SelectionKey.OP_WRITE);
                        }
                        if (selected.isValid() && selected.isWritable()) {
                            channel.write(state.out);
                            if (!state.out.hasRemaining()) {
                                if (mode.equals("partial") || mode.equals("headers") || mode.equals("tiny")) {
                                    selected.interestOps(0);
                                    pending--;
                                } else {
                                    selected.interestOps(SelectionKey.OP_READ);
                                }
                            }
                        } else if (selected.isValid() && selected.isReadable()) {
                            scratch.clear();
                            int read = channel.read(scratch);
                            if (read < 0) {
                                throw new IOException("closed by the service");
                            }
                            state.in.append(new String(scratch.array(), 0, read, StandardCharsets.ISO_8859_1));
                            if (state.complete()) {
                                if (mode.equals("reused") && state.answers++ == 0) {
                                    state.in.setLength(0);
                                    state.out.rewind();
                                    selected.interestOps(SelectionKey.OP_WRITE);
                                } else {
                                    selected.interestOps(0);
                                    pending--;
                                }
                            }
                        }
                    } catch (IOException e) {
                        selected.cancel();
                        channel.close();
                        closed++;
                        pending--;
                    }
                }
                selector.selectedKeys().clear();
            }
            System.out.println("held " + (n - closed) + " " + mode + (closed > 0 ? " closed=" + closed : ""));
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            for (SocketChannel channel : held) {
                channel.close();
            }
        }
    }

    /** Slowloris: n connections, each sent one byte of a head that never ends every second. */
    static void trickle(int port, int n) throws Exception {
        byte[] head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Connections\r\nX-Slow: "
                .getBytes(StandardCharsets.US_ASCII);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        SocketChannel[] channels = new SocketChannel[n];
        int[] sent = new int[n];
        long closedByService = 0;
        Thread stdin = new Thread(() -> {
            try {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // ends the same way
            }
        });
        stdin.setDaemon(true);
        stdin.start();
        ByteBuffer one = ByteBuffer.allocate(1);
        ByteBuffer scratch = ByteBuffer.allocate(1024);
        boolean announced = false;
        try {
            for (long tick = 0; stdin.isAlive(); tick++) {
                long start = System.nanoTime();
                // A tenth of the connections every 100 ms: each gets a byte a second.
                for (int i = (int) (tick % 10); i < n; i += 10) {
                    try {
                        if (channels[i] == null) {
                            channels[i] = SocketChannel.open(address); // blocking connect, then non-blocking
                            channels[i].configureBlocking(false);
                            sent[i] = 0;
                        }
                        scratch.clear();
                        if (channels[i].read(scratch) < 0) {
                            throw new IOException("closed by the service");
                        }
                        one.clear();
                        one.put(sent[i] < head.length ? head[sent[i]] : (byte) 'a').flip();
                        if (channels[i].write(one) == 1) {
                            sent[i]++;
                        }
                    } catch (IOException e) {
                        if (channels[i] != null) {
                            channels[i].close();
                            channels[i] = null;
                            closedByService++;
                        }
                    }
                }
                if (!announced && tick >= 9) {
                    announced = true;
                    long open = java.util.Arrays.stream(channels).filter(c -> c != null).count();
                    System.out.println("held " + open + " trickle");
                    System.out.flush();
                }
                long sleep = 100 - (System.nanoTime() - start) / 1_000_000;
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        } finally {
            long open = 0;
            for (SocketChannel channel : channels) {
                if (channel != null) {
                    open++;
                    channel.close();
                }
            }
            System.out.println("trickled: " + open + " open at the end, " + closedByService + " closed by the service");
        }
    }

    private static final class State {
        final ByteBuffer out;
        final StringBuilder in = new StringBuilder();
        int answers;

        State(byte[] request) {
            out = ByteBuffer.wrap(request);
        }

        /** Whether a whole answer (headers and a Content-Length body) has been read. */
        boolean complete() {
            int end = in.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            String head = in.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            int at = head.indexOf("content-length:");
            int length = at < 0 ? 0 : Integer.parseInt(head.substring(at + 15).split("\r\n")[0].trim());
            return in.length() >= end + 4 + length;
        }
    }
}
