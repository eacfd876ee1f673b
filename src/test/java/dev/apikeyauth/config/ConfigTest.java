package dev.apikeyauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apikeyauth.http.TrustedProxies;
import dev.apikeyauth.keys.KeyDigest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigTest {
    static final String KEY = "config-test-key-0123456789";
    static final String MAX_CONNECTIONS_ACCEPTS =
            "MAX_CONNECTIONS must be a whole number from 1 to 1000000 (unset: derived from the heap), got ";
    static final String ALLOW_IPS = "FORWARDED_ALLOW_IPS must be * or a comma-separated list of IP addresses and "
            + "CIDR ranges such as 127.0.0.1,10.0.0.0/8; ";
    static final String PROJECT = "GOOGLE_CLOUD_PROJECT must be a Google Cloud project id (6-30 lowercase letters, "
            + "digits and hyphens, such as my-project-123), got ";

    static ConfigException rejected(Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> Config.fromEnv(env));
    }

    @Test
    void emptyEnvironment_givesTheDefaults_andNoKeySource() {
        Config config = Config.fromEnv(Map.of());
        assertEquals(new Config(Optional.empty(), Optional.empty(), 8082, "0.0.0.0", LogFormat.TEXT,
                Duration.ofSeconds(8), Optional.empty(), TrustedProxies.NONE, Optional.empty(), OptionalInt.empty()),
                config);
        assertFalse(config.hasKeySource());
    }

    @Test
    void everyVariable_isRead() {
        Config config = Config.fromEnv(Map.of("AUTH_API_KEY", KEY, "AUTH_API_KEYS_FILE", "/etc/keys/keys.txt",
                "PORT", "9090", "HOST", "127.0.0.1", "LOG_FORMAT", "json", "SHUTDOWN_TIMEOUT", "500ms",
                "AUTH_API_KEY_HEADER", "X-API-Key",
                "FORWARDED_ALLOW_IPS", "10.0.0.0/8", "GOOGLE_CLOUD_PROJECT", "my-project-123",
                "MAX_CONNECTIONS", "5000"));
        assertEquals(Optional.of(KeyDigest.of(KEY)), config.apiKey());
        assertEquals(Optional.of(Path.of("/etc/keys/keys.txt")), config.keysFile());
        assertEquals(9090, config.port());
        assertEquals("127.0.0.1", config.host());
        assertEquals(LogFormat.JSON, config.logFormat());
        assertEquals(Duration.ofMillis(500), config.shutdownTimeout());
        assertEquals(Optional.of("X-API-Key"), config.keyHeader());
        assertEquals("[10.0.0.0/8]", config.forwardedAllowIps().toString());
        assertEquals(Optional.of("my-project-123"), config.googleCloudProject());
        assertEquals(OptionalInt.of(5000), config.maxConnections());
        assertTrue(config.hasKeySource());
        assertEquals(10, Config.VARIABLES.size());
    }

    @Test
    void toString_holdsNoKey() {
        String shown = Config.fromEnv(Map.of("AUTH_API_KEY", KEY)).toString();
        assertFalse(shown.contains(KEY), shown);
        assertFalse(shown.contains(KeyDigest.of(KEY).format().substring(7)), shown);
    }

    @Test
    void apiKey_withOneTrailingNewline_isTheKeyWithout() {
        assertEquals(Optional.of(KeyDigest.of(KEY)), Config.fromEnv(Map.of("AUTH_API_KEY", KEY + "\n")).apiKey());
        assertEquals(Optional.of(KeyDigest.of(KEY)), Config.fromEnv(Map.of("AUTH_API_KEY", KEY + "\r\n")).apiKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "fifteen-chars-x", "", "\n", "has a space inside it", "tab\there-and-more-chars",
        "non-ascii-key-\u00e9\u00e9\u00e9\u00e9", " leading-space-key-1234",
        "aka_EXAMPLEkeyDoNotUseEXAMPLEkeyDoNotUseEXAMPLE1b0luw"})
    void apiKey_thatCannotBeUsed_stopsStartup_withoutEchoingIt(String key) {
        ConfigException e = rejected(Map.of("AUTH_API_KEY", key));
        assertTrue(e.getMessage().startsWith("AUTH_API_KEY "), e.getMessage());
        assertTrue(e.getMessage().contains("generate-key"), e.getMessage());
        if (!key.isBlank()) {
            assertFalse(e.getMessage().contains(key.trim()), e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void apiKey_ofExactly16Characters_isAccepted() {
        assertTrue(Config.fromEnv(Map.of("AUTH_API_KEY", "0123456789abcdef")).apiKey().isPresent());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PORT|abc|PORT must be a whole number from 1 to 65535, got \"abc\"",
        "PORT|0|PORT must be a whole number from 1 to 65535, got \"0\"",
        "PORT|65536|PORT must be a whole number from 1 to 65535, got \"65536\"",
        "PORT|-1|PORT must be a whole number from 1 to 65535, got \"-1\"",
        "PORT|' 8080'|PORT must be a whole number from 1 to 65535, got \" 8080\"",
        "PORT|''|PORT must be a whole number from 1 to 65535, got \"\"",
        "PORT|99999999999|PORT must be a whole number from 1 to 65535, got \"99999999999\"",
        "LOG_FORMAT|xml|LOG_FORMAT must be 'text' or 'json', got \"xml\"",
        "MAX_CONNECTIONS|0|" + MAX_CONNECTIONS_ACCEPTS + "\"0\"",
        "MAX_CONNECTIONS|-5|" + MAX_CONNECTIONS_ACCEPTS + "\"-5\"",
        "MAX_CONNECTIONS|''|" + MAX_CONNECTIONS_ACCEPTS + "\"\"",
        "MAX_CONNECTIONS|' 500'|" + MAX_CONNECTIONS_ACCEPTS + "\" 500\"",
        "MAX_CONNECTIONS|1e4|" + MAX_CONNECTIONS_ACCEPTS + "\"1e4\"",
        "MAX_CONNECTIONS|10k|" + MAX_CONNECTIONS_ACCEPTS + "\"10k\"",
        "MAX_CONNECTIONS|99999999999|" + MAX_CONNECTIONS_ACCEPTS + "\"99999999999\"",
        "SHUTDOWN_TIMEOUT|8|SHUTDOWN_TIMEOUT must be a duration such as 8s, 500ms or 1m (at most 1h), got \"8\"",
        "SHUTDOWN_TIMEOUT|-1s|SHUTDOWN_TIMEOUT must be a duration such as 8s, 500ms or 1m (at most 1h), got \"-1s\"",
        "SHUTDOWN_TIMEOUT|61m|SHUTDOWN_TIMEOUT must be a duration such as 8s, 500ms or 1m (at most 1h), got \"61m\"",
        "SHUTDOWN_TIMEOUT|PT8S|SHUTDOWN_TIMEOUT must be a duration such as 8s, 500ms or 1m (at most 1h), got \"PT8S\"",
        "HOST|bad host|HOST must be an IP address or host name to bind, such as 0.0.0.0, 127.0.0.1 or ::, got \"bad host\"",
        "HOST|''|HOST must be an IP address or host name to bind, such as 0.0.0.0, 127.0.0.1 or ::, got \"\"",
        "AUTH_API_KEYS_FILE|' '|AUTH_API_KEYS_FILE is set but empty; give the path of a keys file",
        "FORWARDED_ALLOW_IPS|localhost|" + ALLOW_IPS + "\"localhost\" is neither",
        "FORWARDED_ALLOW_IPS|127.0.0.1,10.0.0.0/33|" + ALLOW_IPS + "\"10.0.0.0/33\" is neither",
        "FORWARDED_ALLOW_IPS|127.0.0.1/|" + ALLOW_IPS + "\"127.0.0.1/\" is neither",
        "FORWARDED_ALLOW_IPS|10.0.0.0/8 192.168.0.0/16|" + ALLOW_IPS + "\"10.0.0.0/8 192.168.0.0/16\" is neither",
        "FORWARDED_ALLOW_IPS|010.0.0.1|" + ALLOW_IPS + "\"010.0.0.1\" is neither",
        "FORWARDED_ALLOW_IPS|1.2.3|" + ALLOW_IPS + "\"1.2.3\" is neither",
        "FORWARDED_ALLOW_IPS|::1%lo|" + ALLOW_IPS + "\"::1%lo\" is neither",
        "FORWARDED_ALLOW_IPS|''|" + ALLOW_IPS + "it has an empty entry",
        "FORWARDED_ALLOW_IPS|'127.0.0.1,'|" + ALLOW_IPS + "it has an empty entry",
        "GOOGLE_CLOUD_PROJECT|''|" + PROJECT + "\"\"",
        "GOOGLE_CLOUD_PROJECT|My-Project|" + PROJECT + "\"My-Project\"",
        "GOOGLE_CLOUD_PROJECT|projects/x/traces|" + PROJECT + "\"projects/x/traces\"",
    })
    void badValue_stopsStartup_withOneLineNamingTheVariable(String name, String value, String message) {
        assertEquals(message, rejected(Map.of(name, value)).getMessage());
    }

    @Test
    void controlCharacters_inAnEchoedValue_areEscaped() {
        String message = rejected(Map.of("PORT", "80\n80")).getMessage();
        assertEquals("PORT must be a whole number from 1 to 65535, got \"80\\x0a80\"", message);
    }

    @Test
    void longValues_areShortenedInErrors() {
        String message = rejected(Map.of("LOG_FORMAT", "x".repeat(500))).getMessage();
        assertTrue(message.length() < 120, message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "::", "::1", "localhost", "my-host.internal"})
    void host_acceptsAddressesAndNames(String host) {
        assertEquals(host, Config.fromEnv(Map.of("HOST", host)).host());
    }

    @ParameterizedTest
    @CsvSource({"0s,0", "250ms,250", "8s,8000", "1m,60000", "60m,3600000"})
    void shutdownTimeout_units(String value, long millis) {
        assertEquals(Duration.ofMillis(millis), Config.fromEnv(Map.of("SHUTDOWN_TIMEOUT", value)).shutdownTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X API Key", "X-API-Key:", "X-Ключ",
        "X-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void keyHeader_thatIsNoHeaderName_stopsStartup_withOneLine(String name) {
        assertEquals("AUTH_API_KEY_HEADER must be a header name (1-64 letters, digits and !#$%&'*+-.^_`|~) such "
                + "as X-API-Key, got " + Config.quote(name), rejected(Map.of("AUTH_API_KEY_HEADER", name)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION"})
    void keyHeader_Authorization_stopsStartup(String name) {
        assertEquals("AUTH_API_KEY_HEADER can't be \"" + name + "\": that header already carries the Bearer key; "
                + "use a name of your own such as X-API-Key", rejected(Map.of("AUTH_API_KEY_HEADER", name)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Request-Id", "Cookie", "Host", "X-Forwarded-For", "Proxy-Authorization"})
    void keyHeader_thatMeansSomethingElse_stopsStartup(String name) {
        assertEquals("AUTH_API_KEY_HEADER can't be \"" + name + "\": that header means something else to HTTP or to "
                + "the service; use a name of your own such as X-API-Key",
                rejected(Map.of("AUTH_API_KEY_HEADER", name)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-API-Key", "x-api-key", "Api-Key", "X_Token", "k"})
    void keyHeader_acceptsHeaderNames_asGiven(String name) {
        assertEquals(Optional.of(name), Config.fromEnv(Map.of("AUTH_API_KEY_HEADER", name)).keyHeader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "JSON", "Json"})
    void logFormat_ignoresCase(String value) {
        assertEquals(LogFormat.JSON, Config.fromEnv(Map.of("LOG_FORMAT", value)).logFormat());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "*|*",
        "127.0.0.1|[127.0.0.1]",
        "' 127.0.0.1 , 10.0.0.0/8 ,::1,fd00::/8'|[127.0.0.1, 10.0.0.0/8, ::1, fd00::/8]",
        "127.0.0.1,*|*",
        "0.0.0.0/0|[0.0.0.0/0]",
    })
    void forwardedAllowIps_takesAddressesRangesOrAStar(String value, String read) {
        assertEquals(read, Config.fromEnv(Map.of("FORWARDED_ALLOW_IPS", value)).forwardedAllowIps().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"my-project", "my-project-123", "example.com:my-project", "a23456"})
    void googleCloudProject_takesProjectIds(String value) {
        assertEquals(Optional.of(value), Config.fromEnv(Map.of("GOOGLE_CLOUD_PROJECT", value)).googleCloudProject());
    }
}
