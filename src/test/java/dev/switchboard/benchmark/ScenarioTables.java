package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The Markdown table of medians for one scenario. The two comparisons (tools/call direct against Switchboard, the
 * stdio upstream behind supergateway against Switchboard) put both sides of a concurrency on one row with their
 * ratio; every other scenario gets one row per subject, engine and concurrency with one column per metric.
 */
final class ScenarioTables {

    private static final String NONE = "–";

    private ScenarioTables() {
    }

    static String table(Scenario scenario, List<Measurement> figures) {
        return switch (scenario) {
            case TOOLS_CALL -> comparison(figures, "direct", "switchboard", "added")
                    .orElseGet(() -> byMetric(scenario, figures));
            case SUPERGATEWAY -> comparison(figures, "supergateway", "switchboard", "Switchboard − supergateway")
                    .orElseGet(() -> byMetric(scenario, figures));
            case SSE_UPSTREAM -> againstBaseline(figures, SseUpstreamScenarios.DIRECT);
            case STARTUP -> bySubject(figures);
            default -> byMetric(scenario, figures);
        };
    }

    /**
     * Rows by concurrency, both subjects side by side. Empty when the figures do not fit that shape (a side missing,
     * or one side measured on several engines), so the caller falls back to the generic table.
     */
    private static Optional<String> comparison(List<Measurement> figures, String baseline, String candidate,
                                               String difference) {
        Set<String> subjects = figures.stream().map(Measurement::subject).collect(Collectors.toSet());
        if (!subjects.equals(Set.of(baseline, candidate))) {
            return Optional.empty();
        }
        for (String subject : subjects) {
            if (figures.stream().filter(m -> m.subject().equals(subject)).map(Measurement::engine).distinct()
                    .count() > 1) {
                return Optional.empty();
            }
        }
        String base = Figures.subject(baseline);
        String cand = Figures.subject(candidate);
        Table table = new Table(List.of("Concurrency", base + " (requests/s)", cand + " (requests/s)",
                cand + " / " + base, base + " p50 (ms)", base + " p99 (ms)", cand + " p50 (ms)", cand + " p99 (ms)",
                difference + " p50 (ms)", difference + " p99 (ms)"));
        List<Integer> concurrencies = figures.stream().map(Measurement::concurrency).distinct().sorted().toList();
        for (int concurrency : concurrencies) {
            Double baseRate = median(figures, baseline, concurrency, Metric.THROUGHPUT);
            Double candRate = median(figures, candidate, concurrency, Metric.THROUGHPUT);
            List<String> row = new ArrayList<>(List.of(Integer.toString(concurrency),
                    format(baseRate, Metric.THROUGHPUT), format(candRate, Metric.THROUGHPUT),
                    baseRate == null || candRate == null || baseRate == 0 ? NONE : Figures.percent(candRate, baseRate)));
            for (String subject : List.of(baseline, candidate)) {
                row.add(format(median(figures, subject, concurrency, Metric.P50), Metric.P50));
                row.add(format(median(figures, subject, concurrency, Metric.P99), Metric.P99));
            }
            for (Metric metric : List.of(Metric.P50, Metric.P99)) {
                Double b = median(figures, baseline, concurrency, metric);
                Double c = median(figures, candidate, concurrency, metric);
                row.add(b == null || c == null ? NONE : Figures.millis(c - b));
            }
            table.add(row);
        }
        return Optional.of(table.markdown());
    }

    /**
     * Several paths to one upstream against the direct one: a row per concurrency and path (the baseline first),
     * with its rate as a share of the baseline's and its latency minus the baseline's.
     */
    private static String againstBaseline(List<Measurement> figures, String baseline) {
        String base = Figures.subject(baseline);
        Table table = new Table(List.of("Concurrency", "Path", "requests/s", "share of " + base, "p50 (ms)",
                "p99 (ms)", "added p50 (ms)", "added p99 (ms)"));
        List<String> subjects = new ArrayList<>(List.of(baseline));
        figures.stream().map(Measurement::subject).distinct().filter(s -> !s.equals(baseline)).forEach(subjects::add);
        List<Integer> concurrencies = figures.stream().map(Measurement::concurrency).distinct().sorted().toList();
        for (int concurrency : concurrencies) {
            Double baseRate = median(figures, baseline, concurrency, Metric.THROUGHPUT);
            for (String subject : subjects) {
                Double rate = median(figures, subject, concurrency, Metric.THROUGHPUT);
                if (rate == null && median(figures, subject, concurrency, Metric.P50) == null) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(Integer.toString(concurrency), Figures.subject(subject),
                        format(rate, Metric.THROUGHPUT),
                        rate == null || baseRate == null || baseRate == 0 ? NONE : Figures.percent(rate, baseRate)));
                row.add(format(median(figures, subject, concurrency, Metric.P50), Metric.P50));
                row.add(format(median(figures, subject, concurrency, Metric.P99), Metric.P99));
                for (Metric metric : List.of(Metric.P50, Metric.P99)) {
                    Double b = median(figures, baseline, concurrency, metric);
                    Double c = median(figures, subject, concurrency, metric);
                    row.add(b == null || c == null || subject.equals(baseline) ? NONE : Figures.millis(c - b));
                }
                table.add(row);
            }
        }
        return table.markdown();
    }

    /** One row per subject, engine and concurrency; one column per metric. */
    private static String byMetric(Scenario scenario, List<Measurement> figures) {
        Set<Metric> metrics = new TreeSet<>(Figures.COLUMN_ORDER);
        figures.forEach(m -> metrics.add(m.metric()));
        Map<RowKey, Map<Metric, Double>> rows = new LinkedHashMap<>();
        figures.forEach(m -> rows.computeIfAbsent(new RowKey(m.subject(), m.engine(), m.concurrency()),
                key -> new LinkedHashMap<>()).put(m.metric(), m.median()));
        Columns columns = Columns.of(rows.keySet(), scenario);
        List<String> headings = new ArrayList<>(columns.headings());
        metrics.forEach(metric -> headings.add(Figures.heading(metric)));
        Table table = new Table(headings);
        rows.forEach((key, values) -> {
            List<String> row = new ArrayList<>(columns.cells(key));
            metrics.forEach(metric -> row.add(format(values.get(metric), metric)));
            table.add(row);
        });
        return table.markdown();
    }

    /** One row per engine (and concurrency), one column per subject: first start, restart and migration side by side. */
    private static String bySubject(List<Measurement> figures) {
        Map<String, Metric> columnMetrics = new LinkedHashMap<>();
        Map<String, Set<Metric>> metricsOfSubject = new LinkedHashMap<>();
        figures.forEach(m -> metricsOfSubject.computeIfAbsent(m.subject(), s -> EnumSet.noneOf(Metric.class))
                .add(m.metric()));
        Map<RowKey, Map<String, Double>> rows = new LinkedHashMap<>();
        for (Measurement m : figures) {
            String column = metricsOfSubject.get(m.subject()).size() == 1
                    ? Figures.subject(m.subject()) + " (" + m.metric().unit() + ")"
                    : Figures.subject(m.subject()) + " " + Figures.heading(m.metric());
            columnMetrics.putIfAbsent(column, m.metric());
            rows.computeIfAbsent(new RowKey("", m.engine(), m.concurrency()), key -> new LinkedHashMap<>())
                    .put(column, m.median());
        }
        Columns columns = Columns.of(rows.keySet(), Scenario.STARTUP);
        List<String> headings = new ArrayList<>(columns.headings());
        headings.addAll(columnMetrics.keySet());
        Table table = new Table(headings);
        rows.forEach((key, values) -> {
            List<String> row = new ArrayList<>(columns.cells(key));
            columnMetrics.forEach((column, metric) -> row.add(format(values.get(column), metric)));
            table.add(row);
        });
        return table.markdown();
    }

    private static Double median(List<Measurement> figures, String subject, int concurrency, Metric metric) {
        return figures.stream()
                .filter(m -> m.subject().equals(subject) && m.concurrency() == concurrency && m.metric() == metric)
                .map(Measurement::median).findFirst().orElse(null);
    }

    private static String format(Double value, Metric metric) {
        return value == null ? NONE : Figures.value(value, metric);
    }

    private record RowKey(String subject, String engine, int concurrency) {
    }

    /** The leading columns that tell rows apart; a dimension that never varies or is never set gets no column. */
    private record Columns(boolean subject, boolean engine, boolean concurrency, Scenario scenario) {

        static Columns of(Set<RowKey> keys, Scenario scenario) {
            // Both sides of a comparison are named even when a run measured only one of them.
            boolean subject = keys.stream().map(RowKey::subject).distinct().count() > 1
                    || scenario == Scenario.TOOLS_CALL || scenario == Scenario.SUPERGATEWAY
                    || scenario == Scenario.SSE_UPSTREAM;
            boolean engine = keys.stream().anyMatch(key -> !key.engine().isEmpty());
            boolean concurrency = keys.stream().anyMatch(key -> key.concurrency() != 0);
            if (!subject && !engine && !concurrency) {
                subject = true;
            }
            return new Columns(subject, engine, concurrency, scenario);
        }

        List<String> headings() {
            List<String> headings = new ArrayList<>();
            if (subject) {
                headings.add("Subject");
            }
            if (engine) {
                headings.add("Engine");
            }
            if (concurrency) {
                headings.add(scenario == Scenario.JOB_CLAIMS ? "Worker processes" : "Concurrency");
            }
            return headings;
        }

        List<String> cells(RowKey key) {
            List<String> cells = new ArrayList<>();
            if (subject) {
                cells.add(Figures.subject(key.subject()));
            }
            if (engine) {
                cells.add(key.engine().isEmpty() ? NONE : Figures.engine(key.engine()));
            }
            if (concurrency) {
                cells.add(key.concurrency() == 0 ? NONE : Integer.toString(key.concurrency()));
            }
            return cells;
        }
    }

    /** A Markdown table: text columns left, figures right. */
    static final class Table {

        private final List<String> headings;
        private final List<List<String>> rows = new ArrayList<>();

        Table(List<String> headings) {
            this.headings = List.copyOf(headings);
        }

        void add(List<String> row) {
            rows.add(row.stream().map(cell -> Objects.requireNonNullElse(cell, NONE).replace("|", "\\|")).toList());
        }

        String markdown() {
            StringBuilder text = new StringBuilder();
            text.append("| ").append(String.join(" | ", headings)).append(" |\n|");
            for (int column = 0; column < headings.size(); column++) {
                text.append(numeric(column) ? " ---: |" : " --- |");
            }
            text.append('\n');
            rows.forEach(row -> text.append("| ").append(String.join(" | ", row)).append(" |\n"));
            return text.toString();
        }

        /** A column is numeric when every cell is a figure or a gap, so it aligns right. */
        private boolean numeric(int column) {
            return !rows.isEmpty() && rows.stream().map(row -> row.get(column))
                    .allMatch(cell -> cell.equals(NONE) || cell.matches("[−+\\-]?[0-9][0-9,.]*( %)?"));
        }
    }
}
