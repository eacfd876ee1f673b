package dev.apikeyauth.config;

import dev.apikeyauth.http.TrustedProxies;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.Keys;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's configuration, read once from the environment at start-up and validated there.
 *
 * <p>It holds the digest of {@code AUTH_API_KEY}, never the key, so printing it is safe.
 *
 * @param apiKey          digest of {@code AUTH_API_KEY}, if set
 * @param keysFile        {@code AUTH_API_KEYS_FILE}, if set
 * @param port            {@code PORT}
 * @param host            {@code HOST}
 * @param logFormat       {@code LOG_FORMAT}
 * @param shutdownTimeout {@code SHUTDOWN_TIMEOUT}
 * @param keyHeader       {@code AUTH_API_KEY_HEADER}, if set: a header whose whole value is also a key
 * @param forwardedAllowIps {@code FORWARDED_ALLOW_IPS}: whose forwarding headers name the caller
 * @param googleCloudProject {@code GOOGLE_CLOUD_PROJECT}: the project the access log's trace fields name
 * @param maxConnections  {@code MAX_CONNECTIONS}, if set (else the service derives it from its heap)
 */
public record Config(Optional<KeyDigest> apiKey, Optional<Path> keysFile, int port, String host,
                     LogFormat logFormat, Duration shutdownTimeout, Optional<String> keyHeader,
                     TrustedProxies forwardedAllowIps, Optional<String> googleCloudProject,
                     OptionalInt maxConnections) {

    public static final String AUTH_API_KEY = "AUTH_API_KEY";
    public static final String AUTH_API_KEYS_FILE = "AUTH_API_KEYS_FILE";
    public static final String PORT = "PORT";
    public static final String HOST = "HOST";
    public static final String LOG_FORMAT = "LOG_FORMAT";
    public static final String SHUTDOWN_TIMEOUT = "SHUTDOWN_TIMEOUT";
    public static final String AUTH_API_KEY_HEADER = "AUTH_API_KEY_HEADER";
    public static final String FORWARDED_ALLOW_IPS = "FORWARDED_ALLOW_IPS";
    public static final String GOOGLE_CLOUD_PROJECT = "GOOGLE_CLOUD_PROJECT";
    public static final String MAX_CONNECTIONS = "MAX_CONNECTIONS";
    /** Every variable the service reads. */
    public static final List<String> VARIABLES = List.of(AUTH_API_KEY, AUTH_API_KEYS_FILE, PORT, HOST, LOG_FORMAT,
            SHUTDOWN_TIMEOUT, AUTH_API_KEY_HEADER, FORWARDED_ALLOW_IPS, GOOGLE_CLOUD_PROJECT, MAX_CONNECTIONS);

    public static final int DEFAULT_PORT = 8082;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(8);
    static final Duration MAX_SHUTDOWN_TIMEOUT = Duration.ofHours(1);
    /** More open connections than this would need more file descriptors than a platform gives a container. */
    static final int MAX_MAX_CONNECTIONS = 1_000_000;

    /** What to run so that a key exists; quoted in every error about a missing or weak key. */
    public static final String GENERATE_HINT = "generate one with: java -jar api-key-auth.jar generate-key";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,7})(ms|s|m)");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    /** A header name: an RFC 9110 token, of a sensible length. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    /**
     * Headers that can't carry a key: HTTP's own, and those the service reads, logs or echoes for
     * something else ({@code X-Request-Id} comes back in every answer and goes to every log line).
     */
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "proxy-authorization",
            "cookie", "host", "content-length", "content-type", "transfer-encoding", "connection", "expect",
            "upgrade", "te", "x-request-id", "forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "traceparent", "tracestate");
    /** A project id (6–30 characters), optionally scoped by a domain as the oldest projects are. */
    private static final Pattern PROJECT_ID =
            Pattern.compile("([a-z0-9][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");

    /** Whether any key source is configured; without one the service has nothing to accept. */
    public boolean hasKeySource() {
        return apiKey.isPresent() || keysFile.isPresent();
    }

    /**
     * Reads and validates the configuration.
     *
     * @param env the environment, e.g. {@code System.getenv()}; tests pass their own map
     * @throws ConfigException naming the first bad variable and what it accepts (never its value
     *                         when the value is a secret)
     */
    public static Config fromEnv(Map<String, String> env) {
        return new Config(
                apiKey(env.get(AUTH_API_KEY)),
                keysFile(env.get(AUTH_API_KEYS_FILE)),
                port(env.get(PORT)),
                host(env.get(HOST)),
                logFormat(env.get(LOG_FORMAT)),
                shutdownTimeout(env.get(SHUTDOWN_TIMEOUT)),
                keyHeader(env.get(AUTH_API_KEY_HEADER)),
                forwardedAllowIps(env.get(FORWARDED_ALLOW_IPS)),
                googleCloudProject(env.get(GOOGLE_CLOUD_PROJECT)),
                maxConnections(env.get(MAX_CONNECTIONS)));
    }

    private static Optional<String> keyHeader(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!HEADER_NAME.matcher(value).matches()) {
            throw new ConfigException(AUTH_API_KEY_HEADER + " must be a header name (1-64 letters, digits and "
                    + "!#$%&'*+-.^_`|~) such as X-API-Key, got " + quote(value));
        }
        if (RESERVED_HEADERS.contains(value.toLowerCase(Locale.ROOT))) {
            throw new ConfigException(AUTH_API_KEY_HEADER + " can't be " + quote(value) + ": that header "
                    + (value.equalsIgnoreCase("Authorization") ? "already carries the Bearer key"
                    : "means something else to HTTP or to the service") + "; use a name of your own such as X-API-Key");
        }
        return Optional.of(value);
    }

    private static Optional<KeyDigest> apiKey(String value) {
        if (value == null) {
            return Optional.empty();
        }
        // A secret mounted or created from a file often ends with a newline nobody meant.
        String key = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        if (key.isEmpty()) {
            throw new ConfigException(AUTH_API_KEY + " is set but empty; " + GENERATE_HINT);
        }
        String problem = Keys.problemWith(key);
        if (problem != null) {
            throw new ConfigException(AUTH_API_KEY + " " + problem + "; " + GENERATE_HINT);
        }
        return Optional.of(KeyDigest.of(key));
    }

    private static Optional<Path> keysFile(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new ConfigException(AUTH_API_KEYS_FILE + " is set but empty; give the path of a keys file");
        }
        try {
            return Optional.of(Path.of(value));
        } catch (InvalidPathException e) {
            throw new ConfigException(AUTH_API_KEYS_FILE + " is not a valid path: " + quote(value));
        }
    }

    private static int port(String value) {
        if (value == null) {
            return DEFAULT_PORT;
        }
        String accepts = PORT + " must be a whole number from 1 to 65535, got " + quote(value);
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(accepts);
        }
        int port = Integer.parseInt(value);
        if (port < 1 || port > 65535) {
            throw new ConfigException(accepts);
        }
        return port;
    }

    private static String host(String value) {
        if (value == null) {
            return DEFAULT_HOST;
        }
        boolean ipv6 = value.contains(":") && IPV6.matcher(value).matches();
        if (!ipv6 && !HOSTNAME.matcher(value).matches()) {
            throw new ConfigException(HOST + " must be an IP address or host name to bind, such as 0.0.0.0, "
                    + "127.0.0.1 or ::, got " + quote(value));
        }
        return value;
    }

    private static LogFormat logFormat(String value) {
        if (value == null) {
            return LogFormat.TEXT;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "text":
                return LogFormat.TEXT;
            case "json":
                return LogFormat.JSON;
            default:
                throw new ConfigException(LOG_FORMAT + " must be 'text' or 'json', got " + quote(value));
        }
    }

    private static Duration shutdownTimeout(String value) {
        if (value == null) {
            return DEFAULT_SHUTDOWN_TIMEOUT;
        }
        String accepts = SHUTDOWN_TIMEOUT + " must be a duration such as 8s, 500ms or 1m (at most 1h), got "
                + quote(value);
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new ConfigException(accepts);
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
        if (duration.compareTo(MAX_SHUTDOWN_TIMEOUT) > 0) {
            throw new ConfigException(accepts);
        }
        return duration;
    }

    private static TrustedProxies forwardedAllowIps(String value) {
        if (value == null) {
            return TrustedProxies.NONE;
        }
        try {
            return TrustedProxies.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FORWARDED_ALLOW_IPS + " must be * or a comma-separated list of IP addresses "
                    + "and CIDR ranges such as 127.0.0.1,10.0.0.0/8; "
                    + (e.getMessage().isEmpty() ? "it has an empty entry" : quote(e.getMessage()) + " is neither"));
        }
    }

    private static Optional<String> googleCloudProject(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (!PROJECT_ID.matcher(value).matches()) {
            throw new ConfigException(GOOGLE_CLOUD_PROJECT + " must be a Google Cloud project id (6-30 lowercase "
                    + "letters, digits and hyphens, such as my-project-123), got " + quote(value));
        }
        return Optional.of(value);
    }

    private static OptionalInt maxConnections(String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        String accepts = MAX_CONNECTIONS + " must be a whole number from 1 to " + MAX_MAX_CONNECTIONS
                + " (unset: derived from the heap), got " + quote(value);
        if (value.isEmpty() || value.length() > 7 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ConfigException(accepts);
        }
        int max = Integer.parseInt(value);
        if (max < 1 || max > MAX_MAX_CONNECTIONS) {
            throw new ConfigException(accepts);
        }
        return OptionalInt.of(max);
    }

    /** A non-secret value, shortened and with control characters escaped, for an error line. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 40);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
