package dev.switchboard.jobs;

import java.time.Duration;
import org.springframework.boot.convert.DurationStyle;

/** Reads the duration settings of background work, refusing values outside a sane range with a clear message. */
public final class JobSettings {

    private JobSettings() {
    }

    /**
     * {@code text} as an ISO-8601 duration ({@code PT30S}) or in Spring's short form ({@code 30s}), between
     * {@code min} and {@code max}.
     *
     * @throws JobSettingsException naming {@code setting} when it is not
     */
    public static Duration duration(String setting, String text, Duration min, Duration max) {
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(text.strip());
        } catch (IllegalArgumentException e) {
            parsed = null;
        }
        if (parsed == null || parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new JobSettingsException(setting + " must be a duration from " + DurationStyle.SIMPLE.print(min)
                    + " to " + DurationStyle.SIMPLE.print(max) + ", such as PT30S or 500ms; it is '" + text + "'");
        }
        return parsed;
    }
}
