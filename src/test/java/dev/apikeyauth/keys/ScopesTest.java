package dev.apikeyauth.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** What a key's scopes hold, and how they are written and compared. */
class ScopesTest {

    @Test
    void scopes_areEqual_onlyWithTheSameNames_andAllIsNoList() {
        assertEquals(Scopes.parse("read,metrics"), Scopes.parse("metrics,read"));
        assertEquals(Scopes.parse("read,metrics").hashCode(), Scopes.parse("metrics,read").hashCode());
        assertNotEquals(Scopes.parse("read"), Scopes.parse("metrics"));
        assertNotEquals(Scopes.parse("read"), Scopes.ALL);
        assertNotEquals(Scopes.ALL, Scopes.NONE);
        assertNotEquals(Scopes.parse("read"), "read");
    }

    @Test
    void toString_namesTheScopes_orAll() {
        assertEquals("Scopes[all]", Scopes.ALL.toString());
        assertEquals("Scopes[metrics, read]", Scopes.parse("read,metrics").toString());
        assertEquals("metrics,read", Scopes.parse("read,metrics").format());
    }
}
