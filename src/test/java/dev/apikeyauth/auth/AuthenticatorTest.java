package dev.apikeyauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.apikeyauth.keys.ApiKey;
import dev.apikeyauth.keys.KeyDigest;
import dev.apikeyauth.keys.KeySet;
import dev.apikeyauth.keys.KeyStore;
import dev.apikeyauth.keys.Keys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    static final String KEY = "a-key-of-enough-length-1";
    static final Instant EXPIRY = Instant.parse("2027-03-01T00:00:00Z");

    static Authenticator at(Instant now, ApiKey... keys) {
        return new Authenticator(KeyStore.fixed(KeySet.of(List.of(keys))), Clock.fixed(now, ZoneOffset.UTC));
    }

    static Credentials bearer(String token) {
        return BearerParser.parse("Bearer " + token);
    }

    @Test
    void matchingKey_isOk_withItsIdentity() {
        Authenticator.Result result = at(Instant.EPOCH, new ApiKey("ci", KeyDigest.of(KEY), null))
                .authenticate(bearer(KEY));
        assertEquals(Outcome.OK, result.outcome());
        assertEquals("ci", result.identity());
    }

    @Test
    void unknownToken_isInvalid() {
        Authenticator.Result result = at(Instant.EPOCH, new ApiKey("ci", KeyDigest.of(KEY), null))
                .authenticate(bearer(KEY + "x"));
        assertEquals(Outcome.INVALID, result.outcome());
        assertNull(result.key());
        assertEquals("-", result.identity());
    }

    @Test
    void expiry_isExclusive_aKeyIsExpiredAtItsInstant() {
        ApiKey key = new ApiKey("partner", KeyDigest.of(KEY), EXPIRY);
        assertEquals(Outcome.OK, at(EXPIRY.minusNanos(1), key).authenticate(bearer(KEY)).outcome());
        assertEquals(Outcome.EXPIRED, at(EXPIRY, key).authenticate(bearer(KEY)).outcome());
        assertEquals(Outcome.EXPIRED, at(EXPIRY.plusSeconds(1), key).authenticate(bearer(KEY)).outcome());
    }

    @Test
    void aGeneratedFormTokenWithAWrongChecksum_isInvalid_withoutLookingUpKeys() {
        Authenticator failing = new Authenticator(() -> {
            throw new AssertionError("must not be consulted");
        }, Clock.systemUTC());
        String key = Keys.generate();
        String damaged = key.substring(0, 52) + (key.charAt(52) == 'a' ? 'b' : 'a');
        Authenticator.Result result = failing.authenticate(bearer(damaged));
        assertEquals(Outcome.INVALID, result.outcome());
        assertNull(result.key());
    }

    @Test
    void keysOfOtherForms_stillWork_besideGeneratedOnes() {
        String generated = Keys.generate();
        Authenticator authenticator = at(Instant.EPOCH, new ApiKey("old", KeyDigest.of(KEY), null),
                new ApiKey("new", KeyDigest.of(generated), null));
        assertEquals("old", authenticator.authenticate(bearer(KEY)).identity());
        assertEquals("new", authenticator.authenticate(bearer(generated)).identity());
        assertEquals(Outcome.OK, authenticator.authenticate(bearer(generated)).outcome());
    }

    @Test
    void headerProblems_areReportedWithoutLookingUpKeys() {
        Authenticator failing = new Authenticator(() -> {
            throw new AssertionError("must not be consulted");
        }, Clock.systemUTC());
        assertEquals(Outcome.MISSING, failing.authenticate(BearerParser.parse((String) null)).outcome());
        assertEquals(Outcome.MALFORMED, failing.authenticate(BearerParser.parse("Basic x")).outcome());
        assertEquals(Outcome.MULTIPLE, failing.authenticate(
                BearerParser.parse(Collections.enumeration(List.of("Bearer a", "Bearer a")))).outcome());
    }

    /**
     * Two keys of the form {@code collision-probe-<n>} whose digests have the same hash code: the
     * first pair found by trying n = 0, 1, 2... (some 80,000 tries for a 32-bit hash code),
     * whatever the hash code is made of. Found once per JVM, on first use.
     */
    static final class SameHashCode {
        static final String[] KEYS = find();

        private static String[] find() {
            Map<Integer, String> byHashCode = new HashMap<>();
            for (int n = 0; n < 5_000_000; n++) {
                String key = "collision-probe-" + n;
                String earlier = byHashCode.putIfAbsent(KeyDigest.of(key).hashCode(), key);
                if (earlier != null) {
                    return new String[] {earlier, key};
                }
            }
            throw new AssertionError("no two digests with the same hash code among 5,000,000 keys");
        }
    }

    @Test
    void aTokenWhoseDigestHasAKeysHashCode_butNotItsBytes_isInvalid() {
        String[] pair = SameHashCode.KEYS;
        ApiKey key = new ApiKey("ci", KeyDigest.of(pair[0]), null);
        Authenticator.Result result = at(Instant.EPOCH, key).authenticate(bearer(pair[1]));
        assertEquals(Outcome.INVALID, result.outcome());
        assertNull(result.key());
        assertEquals(Outcome.OK, at(Instant.EPOCH, key).authenticate(bearer(pair[0])).outcome());
    }
}
