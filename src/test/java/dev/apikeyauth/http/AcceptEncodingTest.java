package dev.apikeyauth.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptEncodingTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL | false",
        "'' | false",
        "gzip | true",
        "GZIP | true",
        "x-gzip | true",
        "gzip, deflate, br | true",
        "deflate, br | false",
        "br;q=1.0, gzip;q=0.8 | true",
        "gzip;q=0 | false",
        "gzip; q=0.000 | false",
        "gzip;q=0.001 | true",
        "* | true",
        "*;q=0 | false",
        "*, gzip;q=0 | false",
        "gzip;q=0, * | false",
        "identity | false",
        "gzip;q=abc | false",
        "gzip;q=2 | false",
        "gzip;q=NaN | false",
        "gzipx | false",
        ",,, | false",
    })
    void allowsGzip_readsTheCodingsAndTheirWeights(String header, boolean expected) {
        assertEquals(expected, AcceptEncoding.allowsGzip(header));
    }
}
