package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.TestJwts;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * A verified JWT is remembered so that a client's every request does not verify it again, but never past its
 * expiry, and never for longer than {@link JwtVerification#REMEMBERED}.
 */
class JwtRememberingTest {

    private static final String SECRET = TestJwts.newSecret();

    private final MovableClock clock = new MovableClock();
    private final JwtVerification verification = new JwtVerification(SecuritySettings.from(Map.of("JWT_SECRET",
            SECRET, "JWT_CLOCK_SKEW_SECONDS", "0")::get), clock);

    private String token(Duration validFor) {
        return TestJwts.hs256(SECRET, TestJwts.claims("remembered", "mcp:use")
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plus(validFor))));
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgainUntilTheTimeIsUp() {
        String token = token(Duration.ofHours(1));
        Authentication first = verification.authenticate(token);
        assertThat(first.getName()).isEqualTo("remembered");
        clock.advance(JwtVerification.REMEMBERED.minusSeconds(1));
        assertThat(verification.authenticate(token)).as("remembered").isSameAs(first);
        clock.advance(Duration.ofSeconds(2));
        Authentication again = verification.authenticate(token);
        assertThat(again).as("verified again").isNotSameAs(first);
        assertThat(again.getName()).isEqualTo("remembered");
    }

    @Test
    void aRememberedTokenStillExpiresOnTime() {
        String token = token(Duration.ofSeconds(10));
        verification.authenticate(token);
        clock.advance(Duration.ofSeconds(11));
        assertThatThrownBy(() -> verification.authenticate(token)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aTokenThatFailedIsNotRemembered() {
        String forged = token(Duration.ofHours(1));
        String tampered = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> verification.authenticate(tampered)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> verification.authenticate(tampered)).isInstanceOf(AuthenticationException.class);
    }
}
