package dev.apikeyauth.cli;

import dev.apikeyauth.config.ConfigException;
import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeyFormat;
import dev.apikeyauth.keys.Keys;
import dev.apikeyauth.keys.KeysFile;
import dev.apikeyauth.keys.Scopes;
import dev.apikeyauth.ops.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The command line of CONTRACT §3. Commands other than {@code serve} write exactly what the
 * contract says to each stream and nothing else (no log lines), so their output can be piped.
 */
final class Cli {
    /** Exit status while the service runs: {@code main} must not exit. */
    static final int RUNNING = -1;
    static final int OK = 0;
    /** Usage and configuration errors. */
    static final int USAGE = 2;

    static final String USAGE_TEXT = String.join("\n",
            "Usage: java -jar api-key-auth.jar [command]",
            "",
            "Commands:",
            "  serve                   run the service (the default)",
            "  generate-key [--id ID] [--prefix P] [--scopes A,B]",
            "                          print a new key (P_ and 49 base62 characters; P is aka",
            "                          unless given, 2-10 of a-z 0-9) on standard output and its",
            "                          keys-file line (with scopes=A,B if given) on standard error",
            "  hash-key                read one key from standard input, print sha256:<hex>",
            "  --help                  show this help",
            "  --version               print the version",
            "",
            "Environment: AUTH_API_KEY, AUTH_API_KEYS_FILE, AUTH_API_KEY_HEADER, PORT (8082),",
            "HOST (0.0.0.0), LOG_FORMAT (text|json), SHUTDOWN_TIMEOUT (8s). See README.md.",
            "");

    private static final int MAX_KEY_INPUT = 64 * 1024;
    private static final Set<String> GENERATE_KEY_OPTIONS = Set.of("--id", "--prefix", "--scopes");

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final BooleanSupplier interactive;

    Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, BooleanSupplier interactive) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.interactive = interactive;
    }

    /** Runs a command; returns its exit status, or {@link #RUNNING} once the service is serving. */
    int run(String... args) {
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve":
                return args.length == 1 || args.length == 0 ? serve() : usage("serve takes no arguments");
            case "generate-key":
                return generateKey(args);
            case "hash-key":
                return args.length == 1 ? hashKey() : usage("hash-key takes no arguments");
            case "--help":
            case "-h":
            case "help":
                out.print(USAGE_TEXT);
                return OK;
            case "--version":
                out.println("api-key-auth " + Version.get());
                return OK;
            default:
                return usage((command.startsWith("-") ? "unknown option " : "unknown command ") + printable(command));
        }
    }

    private int serve() {
        try {
            Server.start(env, interactive.getAsBoolean(), err).stopOnSignal();
            return RUNNING;
        } catch (ConfigException e) {
            err.println("api-key-auth: " + e.getMessage());
            return USAGE;
        }
    }

    private int generateKey(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (!GENERATE_KEY_OPTIONS.contains(name)) {
                return usage("unknown option " + printable(arg));
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return usage(name + " needs a value");
            }
            if (options.putIfAbsent(name, value) != null) {
                return usage(name + " is given twice");
            }
        }
        String id = options.get("--id");
        if (id == null) {
            id = "key-" + LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        } else if (!Keys.isValidId(id)) {
            return usage("--id must be 1-64 characters of A-Z a-z 0-9 . _ -, got " + printable(id));
        }
        String prefix = options.getOrDefault("--prefix", KeyFormat.DEFAULT_PREFIX);
        if (!KeyFormat.isValidPrefix(prefix)) {
            return usage("--prefix must be 2-10 characters of a-z 0-9 (the '_' after it is added), got "
                    + printable(prefix));
        }
        Scopes scopes = Scopes.ALL;
        if (options.containsKey("--scopes")) {
            try {
                scopes = Scopes.parse(options.get("--scopes"));
            } catch (IllegalArgumentException e) {
                return usage("--scopes: " + e.getMessage().replace("scopes=", "--scopes "));
            }
        }
        String key = KeyFormat.generate(prefix);
        out.println(key);
        out.flush();
        err.print(KeysFile.format(List.of(new ApiKey(id, KeyDigest.of(key), null, scopes))));
        err.flush();
        return OK;
    }

    private int hashKey() {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_KEY_INPUT + 1);
        } catch (IOException e) {
            err.println("api-key-auth: hash-key: can't read standard input: " + e.getMessage());
            return 1;
        }
        if (bytes.length > MAX_KEY_INPUT) {
            err.println("api-key-auth: hash-key: standard input is larger than " + MAX_KEY_INPUT + " bytes");
            return USAGE;
        }
        String key = new String(bytes, StandardCharsets.UTF_8);
        if (key.endsWith("\r\n")) {
            key = key.substring(0, key.length() - 2);
        } else if (key.endsWith("\n")) {
            key = key.substring(0, key.length() - 1);
        }
        if (key.isEmpty()) {
            err.println("api-key-auth: hash-key: no key on standard input; " + dev.apikeyauth.config.Config.GENERATE_HINT);
            return USAGE;
        }
        if (key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
            err.println("api-key-auth: hash-key: expected one key on one line");
            return USAGE;
        }
        String problem = Keys.problemWith(key);
        if (problem != null) {
            err.println("api-key-auth: hash-key: the key " + problem + "; " + dev.apikeyauth.config.Config.GENERATE_HINT);
            return USAGE;
        }
        out.println(KeyDigest.of(key).format());
        return OK;
    }

    private int usage(String problem) {
        err.println("api-key-auth: " + problem);
        err.print(USAGE_TEXT);
        return USAGE;
    }

    /** An argument echoed in an error, without control characters and not too long. */
    private static String printable(String arg) {
        String shown = arg.length() > 40 ? arg.substring(0, 40) + "..." : arg;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
