package dev.switchboard.console;

import dev.switchboard.observability.InvocationReport.Line;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The overview's charts of invocations: for the busiest virtual servers or tools of a window, their calls, error
 * rate and p95 latency, each figure written out and drawn as a bar. Calls and p95 are drawn against the largest in
 * the chart, the error rate against 100 %.
 */
final class ActivityCharts {

    /** Entities drawn per chart; the rest are counted, and all are at /v1/metrics. */
    static final int ROWS = 10;

    private ActivityCharts() {
    }

    /** The spans the overview offers, by the name its links use. */
    enum Window {
        HOUR("hour", Duration.ofHours(1), "the last hour"),
        DAY("day", Duration.ofDays(1), "the last day");

        final String code;
        final Duration span;
        final String label;

        Window(String code, Duration span, String label) {
            this.code = code;
            this.span = span;
            this.label = label;
        }

        /** The window a link names; anything else is the last hour. */
        static Window of(String code) {
            return DAY.code.equals(code) ? DAY : HOUR;
        }

        public String code() {
            return code;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One entity's bars: each width is a percentage of the chart's scale.
     *
     * @param name the entity's name, or a note that it was deleted
     */
    record Row(String name, long calls, String errorRate, String p95, double callsWidth, double errorWidth,
               double p95Width) {
    }

    /** A chart: its rows, busiest first, and how many entities it left out. */
    record Chart(List<Row> rows, int more) {

        public boolean isEmpty() {
            return rows.isEmpty();
        }
    }

    /** The chart of {@code lines} (busiest first, as the report gives them). */
    static Chart of(List<Line> lines) {
        List<Line> shown = lines.subList(0, Math.min(ROWS, lines.size()));
        long maxCalls = shown.stream().mapToLong(Line::count).max().orElse(0);
        double maxP95 = shown.stream().mapToDouble(Line::p95Ms).max().orElse(0);
        List<Row> rows = shown.stream().map(l -> new Row(
                l.name() == null ? "(deleted " + l.entityId().toString().substring(0, 8) + ")" : l.name(),
                l.count(), percent(l.failureRate()), milliseconds(l.p95Ms()), width(l.count(), maxCalls),
                width(l.failureRate(), 1.0), width(l.p95Ms(), maxP95))).toList();
        return new Chart(rows, lines.size() - shown.size());
    }

    /** The bar's length in percent of the scale, at least a sliver when the value is not zero. */
    private static double width(double value, double scale) {
        if (value <= 0 || scale <= 0) {
            return 0;
        }
        return Math.max(1, Math.round(1000 * value / scale) / 10.0);
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * rate);
    }

    private static String milliseconds(double ms) {
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
