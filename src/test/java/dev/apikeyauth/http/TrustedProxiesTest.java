package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** FORWARDED_ALLOW_IPS as a value: literal addresses and CIDR ranges, never a DNS name. */
class TrustedProxiesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|127.0.0.1|true",
        "127.0.0.1|127.0.0.2|false",
        "10.0.0.0/8|10.255.255.255|true",
        "10.0.0.0/8|11.0.0.0|false",
        "192.168.1.128/25|192.168.1.200|true",
        "192.168.1.128/25|192.168.1.127|false",
        "169.254.0.0/16|169.254.8.1|true",
        "0.0.0.0/0|203.0.113.7|true",
        "0.0.0.0/0|::1|false",
        "::1|::1|true",
        "::1|127.0.0.1|false",
        "fd00::/8|fdab:cd::1|true",
        "fd00::/8|fe80::1|false",
        "2001:db8::/127|2001:db8::1|true",
        "2001:db8::/127|2001:db8::2|false",
        "::ffff:10.0.0.0/104|10.1.2.3|true",
        "*|203.0.113.7|true",
        "*|::1|true",
    })
    void contains_matchesAddressesAndRanges(String setting, String address, boolean trusted) {
        assertEquals(trusted, TrustedProxies.parse(setting).contains(TrustedProxies.literal(address)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.com", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.256", "1..2.3",
        "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/8/8", "::1/129", "::1%lo", "[::1]", ":::",
        "abc", "12345", "0x7f.0.0.1", "::ffff:1.2.3.4/95"})
    void parse_refusesWhatIsNoLiteralAddressOrRange(String entry) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse("10.0.0.1," + entry));
        assertEquals(entry, e.getMessage());
    }

    @Test
    void literal_neverResolvesANameAndTakesOnlyDottedQuads() {
        assertNull(TrustedProxies.literal("localhost"));
        assertNull(TrustedProxies.literal("2130706433"));
        assertNull(TrustedProxies.literal("127.1"));
        assertEquals("127.0.0.1", TrustedProxies.literal("127.0.0.1").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", TrustedProxies.literal("::1").getHostAddress());
    }

    @Test
    void none_andAStar_areTheirOwnValues() {
        assertTrue(TrustedProxies.NONE.isNone());
        assertTrue(TrustedProxies.parse("*").trustsAny());
        assertEquals("*", TrustedProxies.parse(" * ").toString());
    }
}
