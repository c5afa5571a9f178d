package dev.switchboard.testing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** Names and a password for test databases; the password holds characters that must be URL-encoded. */
final class TestCredentials {

    /** Distinguishes this run's databases and users from other runs' on a shared server. */
    static final String RUN = "sbt" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    static final String PASSWORD = "p@ss:w/rd%?#+é";

    private TestCredentials() {
    }

    static String encodedPassword() {
        // URLEncoder is form encoding: a space would become '+', and our '+' must stay a literal plus.
        return URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
