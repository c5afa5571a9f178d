package dev.switchboard.settings;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.convert.DurationStyle;

/**
 * How every duration setting is read: an ISO-8601 duration ({@code PT5S}) or Spring's short form ({@code 5s}),
 * within the bounds the setting allows. Each capability reports a bad value through its own startup failure.
 */
public final class DurationSetting {

    private DurationSetting() {
    }

    /** {@code text} as a duration from {@code min} to {@code max}; empty when it is not one, or out of bounds. */
    public static Optional<Duration> parse(String text, Duration min, Duration max) {
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(text.strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0 ? Optional.empty() : Optional.of(parsed);
    }

    /** How a bound reads in an error message: {@code 10ms}, {@code 1m}. */
    public static String print(Duration bound) {
        return DurationStyle.SIMPLE.print(bound);
    }
}
