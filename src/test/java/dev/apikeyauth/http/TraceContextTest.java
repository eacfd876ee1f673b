package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The W3C traceparent header: what is a valid one, and that anything else is ignored. */
class TraceContextTest {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";

    @Test
    void aValidHeader_givesItsTraceSpanAndSampledFlag() {
        assertEquals(new TraceContext(TRACE, SPAN, true), TraceContext.parse("00-" + TRACE + "-" + SPAN + "-01"));
        assertEquals(new TraceContext(TRACE, SPAN, false), TraceContext.parse("00-" + TRACE + "-" + SPAN + "-00"));
        assertEquals(new TraceContext(TRACE, SPAN, true), TraceContext.parse("00-" + TRACE + "-" + SPAN + "-0b"));
    }

    @Test
    void aLaterVersion_mayCarryMoreFields_afterADash() {
        assertEquals(new TraceContext(TRACE, SPAN, true), TraceContext.parse("01-" + TRACE + "-" + SPAN + "-01"));
        assertEquals(new TraceContext(TRACE, SPAN, true),
                TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-01-what-comes-next"));
        assertNull(TraceContext.parse("cc-" + TRACE + "-" + SPAN + "-01x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0z",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 ",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bx-01",
    })
    void anythingElse_isIgnored(String value) {
        assertNull(TraceContext.parse(value));
    }

    @Test
    void twoHeaders_areIgnored_oneIsRead() {
        String header = "00-" + TRACE + "-" + SPAN + "-01";
        assertNull(TraceContext.from(Collections.enumeration(List.of(header, header))));
        assertEquals(TRACE, TraceContext.from(Collections.enumeration(List.of(header))).traceId());
        assertNull(TraceContext.from(Collections.emptyEnumeration()));
        assertNull(TraceContext.from(null));
    }
}
