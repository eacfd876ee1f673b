package dev.apikeyauth.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes no HTTP client library would send (tabs, bare headers, HTTP/3.0) and reads back one
 * response: status line, headers and a Content-Length body.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** A parsed response; header names are lower-cased, the last value wins. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Response send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response send(int port, byte[] request) throws IOException {
        return exchange(port, request, 1, false).get(0);
    }

    /**
     * Writes {@code request} (which may hold several pipelined requests) and reads {@code count}
     * responses; {@code head} says the responses have no body whatever their Content-Length.
     * A server that neither answers nor closes within 10 s fails the read: no case may hang.
     */
    public static java.util.List<Response> exchange(int port, byte[] request, int count, boolean head)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading everything (e.g. 431): read on.
            }
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            java.util.List<Response> responses = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                responses.add(read(in, head));
            }
            return responses;
        }
    }

    /** Reads one response (status line, headers, a Content-Length body) from a connection of the caller's. */
    public static Response read(InputStream in) throws IOException {
        return read(in, false);
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed without a response");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int length = head || status == 100 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != -1; b = in.read()) {
                if (b == '\n') {
                    String s = buffer.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                buffer.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no complete response within the timeout", e);
        }
        return buffer.size() == 0 ? null : buffer.toString(StandardCharsets.ISO_8859_1);
    }
}
