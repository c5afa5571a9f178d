package dev.switchboard.jobs;

import dev.switchboard.settings.DurationSetting;
import java.time.Duration;

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
        return DurationSetting.parse(text, min, max).orElseThrow(() -> new JobSettingsException(setting
                + " must be a duration from " + DurationSetting.print(min) + " to " + DurationSetting.print(max)
                + ", such as PT30S or 500ms; it is '" + text + "'"));
    }
}
