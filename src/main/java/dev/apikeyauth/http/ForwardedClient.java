package dev.apikeyauth.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

/**
 * The caller's address behind a trusted proxy: for a request whose TCP peer is one of the
 * {@link TrustedProxies}, the client address becomes the one its {@code X-Forwarded-For} header
 * (or, without one, its {@code Forwarded} header) names, so {@code getRemoteAddr()} — and with it
 * the access log — says who called. From any other peer, and without the setting, those headers
 * change nothing.
 *
 * <p>Which address: proxies append the address they saw to the right, so the entries are read from
 * the right, past those of trusted proxies; the first one that is not a trusted proxy is the
 * caller (entries to its left are the caller's to write, so never believed). With {@code *} no entry
 * can be told apart from a proxy, and the right-most one — written by the peer itself — is taken.
 * If every entry is a trusted proxy, the left-most is (the caller was one of them).
 *
 * <p>A header that isn't a well-formed list of IP addresses (a host name, {@code unknown}, an
 * obfuscated {@code Forwarded} identifier, a stray quote...) is ignored as a whole: the TCP peer
 * stays the client, and the request goes on. Nothing here ever refuses a request.
 *
 * <p>A Jetty {@link HttpConfiguration.Customizer}, not a handler: it runs as Jetty hands the request
 * over and decides nothing about it. Jetty's own {@code ForwardedRequestCustomizer} (12.1) was the
 * first choice, but it believes any peer, takes the left-most {@code X-Forwarded-For} entry (the
 * one a caller can write), rewrites scheme and host too, and answers a header it can't parse with
 * a 400.
 */
final class ForwardedClient implements HttpConfiguration.Customizer {
    private final TrustedProxies trusted;

    ForwardedClient(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(peer instanceof InetSocketAddress socket) || socket.getAddress() == null
                || !trusted.contains(socket.getAddress())) {
            return request;
        }
        HttpFields headers = request.getHeaders();
        List<String> forwardedFor = headers.getValuesList(HttpHeader.X_FORWARDED_FOR);
        List<InetAddress> hops = !forwardedFor.isEmpty() ? xForwardedFor(forwardedFor)
                : forwarded(headers.getValuesList(HttpHeader.FORWARDED));
        InetAddress client = hops == null ? null : choose(hops);
        if (client == null) {
            return request;
        }
        InetSocketAddress remote = new InetSocketAddress(client, 0);
        ConnectionMetaData connection = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return remote;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return connection;
            }
        };
    }

    /** The caller among the hops, as the class comment says; {@code null} if there are none. */
    InetAddress choose(List<InetAddress> hops) {
        if (hops.isEmpty()) {
            return null;
        }
        if (trusted.trustsAny()) {
            return hops.get(hops.size() - 1);
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trusted.contains(hops.get(i))) {
                return hops.get(i);
            }
        }
        return hops.get(0);
    }

    /**
     * The addresses of {@code X-Forwarded-For} (all its headers, in order, as one list), or
     * {@code null} if any entry is not an address.
     */
    static List<InetAddress> xForwardedFor(List<String> values) {
        List<InetAddress> hops = new ArrayList<>();
        for (String value : values) {
            for (String entry : value.split(",", -1)) {
                InetAddress address = address(strip(entry));
                if (address == null) {
                    return null;
                }
                hops.add(address);
            }
        }
        return hops;
    }

    /**
     * The {@code for} addresses of RFC 7239 {@code Forwarded} (all its headers, in order), or
     * {@code null} unless every element is well-formed and names an address in exactly one
     * {@code for} parameter.
     */
    static List<InetAddress> forwarded(List<String> values) {
        List<InetAddress> hops = new ArrayList<>();
        for (String value : values) {
            int n = value.length();
            int i = 0;
            while (true) { // one element: pairs separated by ';', up to ',' or the end
                String forValue = null;
                while (true) {
                    i = skipSpace(value, i);
                    if (i < n && value.charAt(i) == ';') {
                        i++;
                        continue;
                    }
                    if (i >= n || value.charAt(i) == ',') {
                        break;
                    }
                    int start = i;
                    while (i < n && isTokenChar(value.charAt(i))) {
                        i++;
                    }
                    if (i == start || i >= n || value.charAt(i) != '=') {
                        return null;
                    }
                    String name = value.substring(start, i++);
                    String parameter;
                    if (i < n && value.charAt(i) == '"') {
                        StringBuilder quoted = new StringBuilder();
                        for (i++; i < n && value.charAt(i) != '"'; i++) {
                            if (value.charAt(i) == '\\' && ++i >= n) {
                                return null;
                            }
                            quoted.append(value.charAt(i));
                        }
                        if (i++ >= n) {
                            return null; // no closing quote
                        }
                        parameter = quoted.toString();
                    } else {
                        start = i;
                        // RFC 7239 wants an address with ':' or '[' quoted; some proxies don't.
                        while (i < n && (isTokenChar(value.charAt(i)) || ":[]".indexOf(value.charAt(i)) >= 0)) {
                            i++;
                        }
                        parameter = value.substring(start, i);
                    }
                    if (name.equalsIgnoreCase("for")) {
                        if (forValue != null) {
                            return null;
                        }
                        forValue = parameter;
                    }
                    i = skipSpace(value, i);
                    if (i < n && value.charAt(i) != ';' && value.charAt(i) != ',') {
                        return null;
                    }
                }
                InetAddress address = forValue == null ? null : address(forValue);
                if (address == null) {
                    return null;
                }
                hops.add(address);
                if (i >= n) {
                    break;
                }
                i++; // the ','
            }
        }
        return hops;
    }

    /**
     * One hop: an IPv4 address, an IPv6 address bare or in brackets, either with a port (dropped);
     * {@code null} for anything else.
     */
    static InetAddress address(String hop) {
        String host = hop;
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            if (close < 0 || (close + 1 < hop.length() && !isPort(hop, close + 1))) {
                return null;
            }
            host = hop.substring(1, close);
            if (host.indexOf(':') < 0) {
                return null;
            }
        } else {
            int colon = hop.indexOf(':');
            if (colon >= 0 && hop.indexOf(':', colon + 1) < 0) {
                if (!isPort(hop, colon)) {
                    return null;
                }
                host = hop.substring(0, colon); // IPv4 with a port
                if (host.indexOf(':') >= 0) {
                    return null;
                }
            }
        }
        return TrustedProxies.literal(host);
    }

    /** Whether {@code s} from {@code colon} on is ':' and a port number. */
    private static boolean isPort(String s, int colon) {
        int digits = s.length() - colon - 1;
        if (s.charAt(colon) != ':' || digits < 1 || digits > 5) {
            return false;
        }
        for (int i = colon + 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s, colon + 1, s.length(), 10) <= 65535;
    }

    private static String strip(String s) {
        int from = skipSpace(s, 0);
        int to = s.length();
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
