package dev.apikeyauth.http;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code X-Forwarded-For} and {@code Forwarded} headers are believed: the value of
 * {@code FORWARDED_ALLOW_IPS}, a comma-separated list of IP addresses and CIDR ranges, or {@code *}
 * for any peer (uvicorn's setting, by name and meaning). {@link #NONE}, the default, believes no one.
 *
 * <p>Addresses are read as literals only, never looked up in DNS: {@code localhost} is refused.
 */
public final class TrustedProxies {
    /** Trusts no peer: the forwarding headers are ignored. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), false);
    /** Trusts any peer: {@code *}. */
    public static final TrustedProxies ANY = new TrustedProxies(List.of(), true);

    private final List<Range> ranges;
    private final boolean any;

    private TrustedProxies(List<Range> ranges, boolean any) {
        this.ranges = ranges;
        this.any = any;
    }

    /**
     * Reads the setting's value.
     *
     * @throws IllegalArgumentException if it is empty, or an entry is neither {@code *}, an IP
     *                                  address nor a CIDR range; the message is that entry, as given
     *                                  (empty for an empty one)
     */
    public static TrustedProxies parse(String value) {
        List<Range> ranges = new ArrayList<>();
        boolean any = false;
        for (String part : value.split(",", -1)) {
            String entry = part.strip();
            if (entry.equals("*")) {
                any = true;
            } else {
                Range range = Range.parse(entry);
                if (range == null) {
                    throw new IllegalArgumentException(entry);
                }
                ranges.add(range);
            }
        }
        return any ? ANY : new TrustedProxies(List.copyOf(ranges), false);
    }

    /** Whether no peer is trusted (the customizer then isn't installed at all). */
    public boolean isNone() {
        return !any && ranges.isEmpty();
    }

    /** Whether the setting was {@code *}. */
    public boolean trustsAny() {
        return any;
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean contains(InetAddress address) {
        if (any) {
            return true;
        }
        byte[] bytes = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return any ? "*" : ranges.toString();
    }

    /**
     * An IP address literal: dotted-quad IPv4 (no leading zeros, no shorthand) or IPv6 (without a
     * zone); {@code null} for anything else. Never a DNS lookup.
     */
    static InetAddress literal(String text) {
        if (text.isEmpty() || text.length() > 45) {
            return null;
        }
        if (text.indexOf(':') < 0) {
            return ipv4(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
        }
        try {
            // With a ':' in it, the JDK parses the text as an IPv6 literal and never resolves it.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static InetAddress ipv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i == text.length() ? '.' : text.charAt(i);
            if (c == '.') {
                if (digits == 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (value == 0) {
                    return null; // a leading zero: octal to some parsers, decimal to others
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        if (part != 4) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length
        }
    }

    /** An address and the number of leading bits that must match it. */
    private record Range(byte[] network, int bits, String text) {
        static Range parse(String entry) {
            int slash = entry.indexOf('/');
            InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                return null;
            }
            byte[] network = address.getAddress();
            int max = network.length * 8;
            int bits = max;
            if (slash >= 0) {
                String prefix = entry.substring(slash + 1);
                if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                bits = Integer.parseInt(prefix);
                // An IPv4-mapped IPv6 address comes back as IPv4: its prefix counts from bit 96.
                if (address instanceof Inet4Address && entry.indexOf(':') >= 0) {
                    bits -= 96;
                }
                if (bits < 0 || bits > max) {
                    return null;
                }
            }
            return new Range(network, bits, entry);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
