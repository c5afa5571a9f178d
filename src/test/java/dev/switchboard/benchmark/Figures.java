package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the report writes numbers and names, in one place so tables and charts agree. Formats use {@link Locale#ROOT}
 * so the committed report does not change with the machine's locale.
 */
final class Figures {

    private static final Map<String, String> ENGINE_NAMES = Map.of("sqlite", "SQLite", "postgresql", "PostgreSQL",
            "mariadb", "MariaDB", "mysql", "MySQL");

    /** Rates first, then latencies and the rest: the order of a table's metric columns. */
    static final Comparator<Metric> COLUMN_ORDER = Comparator
            .comparing((Metric metric) -> !metric.unit().endsWith("/s")).thenComparing(Metric::ordinal);

    private Figures() {
    }

    /** A median in its metric's unit: rates without decimals, short latencies with enough decimals to differ. */
    static String value(double value, Metric metric) {
        return switch (metric.unit()) {
            case "ms" -> millis(value);
            case "MB" -> String.format(Locale.ROOT, "%,.1f", value);
            default -> String.format(Locale.ROOT, "%,.0f", value);
        };
    }

    static String millis(double value) {
        double size = Math.abs(value);
        if (size >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, size < 10 ? "%.3f" : "%.2f", value);
    }

    /** {@code part} as a percentage of {@code whole}, e.g. "91.3 %". */
    static String percent(double part, double whole) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * part / whole);
    }

    /** A run's value as written to the raw files: exact, never in exponent notation. */
    static String raw(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }

    static String engine(String engine) {
        return ENGINE_NAMES.getOrDefault(engine, engine);
    }

    static String subject(String subject) {
        return subject.equals("switchboard") ? "Switchboard" : subject;
    }

    /** A column or axis heading for a metric, with its unit. */
    static String heading(Metric metric) {
        return switch (metric) {
            case THROUGHPUT -> "requests/s";
            case P50 -> "p50 (ms)";
            case P99 -> "p99 (ms)";
            case OPERATIONS -> "operations/s";
            case CLAIMS -> "claims/s";
            case DOUBLE_CLAIMS -> "double claims";
            case READY -> "ready (ms)";
            case MIGRATION -> "migration (ms)";
            case RSS -> "RSS (MB)";
        };
    }

    /** A metric's short name inside a series or column label ("p50", "p99"...). */
    static String shortName(Metric metric) {
        return switch (metric) {
            case P50 -> "p50";
            case P99 -> "p99";
            default -> heading(metric);
        };
    }

    /** "2 min 5 s", "45 s". */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        String rest = minutes + " min " + seconds % 60 + " s";
        return hours > 0 ? hours + " h " + rest : rest;
    }

    /** "1, 16 and 64". */
    static String list(List<?> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "none" : String.valueOf(items.getFirst());
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < items.size() - 1; i++) {
            text.append(i == 0 ? "" : ", ").append(items.get(i));
        }
        return text.append(" and ").append(items.getLast()).toString();
    }
}
