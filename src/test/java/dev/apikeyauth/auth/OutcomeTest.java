package dev.apikeyauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outcome labels are metric label values and access-log fields (CONTRACT §5): they must not drift. */
class OutcomeTest {

    @Test
    void labels_areTheLowerCaseNames_ofTheContract() {
        assertEquals(List.of("ok", "missing", "malformed", "multiple", "invalid", "expired", "insufficient_scope"),
                Arrays.stream(Outcome.values()).map(Outcome::label).toList());
    }
}
