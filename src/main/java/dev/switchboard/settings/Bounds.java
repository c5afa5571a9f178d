package dev.switchboard.settings;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/** The range checks settings records make in their constructors, each failing with one line naming the variable. */
public final class Bounds {

    private Bounds() {
    }

    /** {@code value} when it lies from {@code min} to {@code max}. */
    public static Duration duration(String variable, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidSettingException(variable + " must be a duration from " + print(min) + " to "
                    + print(max) + ", such as PT30S or 500ms; it is '" + print(value) + "'");
        }
        return value;
    }

    /** {@code value} when it lies from {@code min} to {@code max}. */
    public static long whole(String variable, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(variable + " must be a whole number from " + min + " to " + max
                    + "; it is '" + value + "'");
        }
        return value;
    }

    /** How a duration reads in a message: {@code 10ms}, {@code 1m}. */
    public static String print(Duration duration) {
        return DurationStyle.SIMPLE.print(duration);
    }
}
