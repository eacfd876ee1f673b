package dev.apikeyauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of every accepted range of the configuration (CONTRACT §4): the last value in and the
 * first value out, on both sides; and every value of a closed set.
 */
class ConfigBoundariesTest {
    static final String PORT_ACCEPTS = "PORT must be a whole number from 1 to 65535, got ";
    static final String TIMEOUT_ACCEPTS =
            "SHUTDOWN_TIMEOUT must be a duration such as 8s, 500ms or 1m (at most 1h), got ";

    static String rejected(String name, String value) {
        return assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(name, value))).getMessage();
    }

    // --- PORT: 1 to 65535

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 65534, 65535})
    void port_from1To65535_isAccepted(int port) {
        assertEquals(port, Config.fromEnv(Map.of("PORT", Integer.toString(port))).port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "100000"})
    void port_0_andAbove65535_isRefused(String port) {
        assertEquals(PORT_ACCEPTS + "\"" + port + "\"", rejected("PORT", port));
    }

    // --- SHUTDOWN_TIMEOUT: 0 to 1 hour, in ms, s or m

    @ParameterizedTest
    @CsvSource({"0ms,0", "0s,0", "3600000ms,3600000", "3600s,3600000", "60m,3600000"})
    void shutdownTimeout_from0To1Hour_isAccepted_inEveryUnit(String value, long millis) {
        assertEquals(Duration.ofMillis(millis), Config.fromEnv(Map.of("SHUTDOWN_TIMEOUT", value)).shutdownTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3600001ms", "3601s", "61m", "9999999m", "10000000ms"})
    void shutdownTimeout_overOneHour_isRefused(String value) {
        assertEquals(TIMEOUT_ACCEPTS + "\"" + value + "\"", rejected("SHUTDOWN_TIMEOUT", value));
    }

    // --- MAX_CONNECTIONS: 1 to 1,000,000

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 999_999, 1_000_000})
    void maxConnections_from1To1Million_isAccepted(int max) {
        assertEquals(max, Config.fromEnv(Map.of("MAX_CONNECTIONS", Integer.toString(max))).maxConnections().getAsInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1000001", "9999999"})
    void maxConnections_0_andAbove1Million_isRefused(String max) {
        assertEquals(ConfigTest.MAX_CONNECTIONS_ACCEPTS + "\"" + max + "\"", rejected("MAX_CONNECTIONS", max));
    }

    @Test
    void maxConnections_unset_isLeftToTheService() {
        assertTrue(Config.fromEnv(Map.of()).maxConnections().isEmpty());
    }

    // --- LOG_FORMAT: text or json, in any case

    @ParameterizedTest
    @CsvSource({"text,TEXT", "TEXT,TEXT", "json,JSON", "Json,JSON"})
    void logFormat_eachAcceptedValue(String value, LogFormat format) {
        assertEquals(format, Config.fromEnv(Map.of("LOG_FORMAT", value)).logFormat());
    }

    // --- AUTH_API_KEY: 16 characters or more (the character rules: keys.KeyBoundariesTest)

    @Test
    void apiKey_of16Characters_isAccepted_and15_isRefused() {
        assertTrue(Config.fromEnv(Map.of("AUTH_API_KEY", "abcdefghijklmnop")).apiKey().isPresent());
        assertEquals("AUTH_API_KEY must be at least 16 characters (it has 15); " + Config.GENERATE_HINT,
                rejected("AUTH_API_KEY", "abcdefghijklmno"));
    }
}
