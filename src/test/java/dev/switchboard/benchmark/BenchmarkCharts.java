package dev.switchboard.benchmark;

import dev.switchboard.benchmark.Measurement.Metric;
import dev.switchboard.benchmark.Measurement.Scenario;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The report's charts: grouped bars of medians, one PNG per chart, drawn headless with XChart. Each scenario has a
 * fixed set of charts, so the file names are stable and a chart whose scenario a run left out is removed rather than
 * left behind with old figures.
 */
final class BenchmarkCharts {

    /** A chart written to disk, for the report to link. */
    record Chart(Scenario scenario, String file, String title) {
    }

    /** What a figure's bar is grouped by along the x axis, or told apart by in the legend. */
    private enum Dimension {
        SUBJECT, ENGINE, CONCURRENCY
    }

    private record Spec(Scenario scenario, String file, String title, Set<Metric> metrics,
                        List<Dimension> category, String xAxis, String yAxis) {
    }

    private static final String CONCURRENT = "concurrent clients";
    private static final String ENGINE = "registry engine";
    private static final String LATENCY = "latency (ms)";
    private static final String ENGINE_AND_CLIENTS = "registry engine and concurrent clients";

    private static final List<Spec> SPECS = List.of(
            new Spec(Scenario.TOOLS_CALL, "tools-call-throughput.png", "tools/call throughput",
                    EnumSet.of(Metric.THROUGHPUT), List.of(Dimension.CONCURRENCY), CONCURRENT, "requests/s"),
            new Spec(Scenario.TOOLS_CALL, "tools-call-latency.png", "tools/call latency (p50 and p99)",
                    EnumSet.of(Metric.P50, Metric.P99), List.of(Dimension.CONCURRENCY), CONCURRENT, LATENCY),
            new Spec(Scenario.SUPERGATEWAY, "supergateway-throughput.png",
                    "stdio upstream: throughput behind supergateway and Switchboard",
                    EnumSet.of(Metric.THROUGHPUT), List.of(Dimension.CONCURRENCY), CONCURRENT, "requests/s"),
            new Spec(Scenario.SUPERGATEWAY, "supergateway-latency.png",
                    "stdio upstream: latency behind supergateway and Switchboard (p50 and p99)",
                    EnumSet.of(Metric.P50, Metric.P99), List.of(Dimension.CONCURRENCY), CONCURRENT, LATENCY),
            new Spec(Scenario.SSE_UPSTREAM, "sse-upstream-throughput.png",
                    "SSE upstream: throughput direct, behind nginx and through Switchboard",
                    EnumSet.of(Metric.THROUGHPUT), List.of(Dimension.CONCURRENCY), CONCURRENT, "requests/s"),
            new Spec(Scenario.SSE_UPSTREAM, "sse-upstream-latency.png",
                    "SSE upstream: latency direct, behind nginx and through Switchboard (p50 and p99)",
                    EnumSet.of(Metric.P50, Metric.P99), List.of(Dimension.CONCURRENCY), CONCURRENT, LATENCY),
            new Spec(Scenario.TOOLS_LIST, "tools-list-throughput.png", "tools/list throughput per registry engine",
                    EnumSet.of(Metric.THROUGHPUT), List.of(Dimension.ENGINE), ENGINE, "requests/s"),
            new Spec(Scenario.TOOLS_LIST, "tools-list-latency.png", "tools/list latency per registry engine",
                    EnumSet.of(Metric.P50, Metric.P99), List.of(Dimension.ENGINE), ENGINE, LATENCY),
            new Spec(Scenario.REGISTRY_WRITES, "registry-writes-throughput.png", "Registry writes per engine",
                    EnumSet.of(Metric.OPERATIONS), List.of(Dimension.ENGINE), ENGINE, "operations/s"),
            new Spec(Scenario.REGISTRY_WRITES, "registry-writes-latency.png", "Registry write latency per engine",
                    EnumSet.of(Metric.P50, Metric.P99), List.of(Dimension.ENGINE), ENGINE, LATENCY),
            new Spec(Scenario.JOB_CLAIMS, "job-claims.png", "Job claims by competing worker processes",
                    EnumSet.of(Metric.CLAIMS), List.of(Dimension.ENGINE, Dimension.CONCURRENCY),
                    "registry engine and worker processes", "claims/s"),
            new Spec(Scenario.REPLICA_DELIVERY, "replica-delivery-p50.png",
                    "A client's message for a call: sent to its replica, or passed on by another (p50)",
                    EnumSet.of(Metric.P50), List.of(Dimension.SUBJECT), "message, and where it was sent", LATENCY),
            new Spec(Scenario.REPLICA_DELIVERY, "replica-delivery-p99.png",
                    "A client's message for a call: sent to its replica, or passed on by another (p99)",
                    EnumSet.of(Metric.P99), List.of(Dimension.SUBJECT), "message, and where it was sent", LATENCY),
            new Spec(Scenario.SESSIONS, "sessions-throughput.png",
                    "tools/call throughput with sessions in the registry and in memory", EnumSet.of(Metric.THROUGHPUT),
                    List.of(Dimension.ENGINE, Dimension.CONCURRENCY), ENGINE_AND_CLIENTS, "requests/s"),
            new Spec(Scenario.SESSIONS, "sessions-latency.png",
                    "tools/call latency with sessions in the registry and in memory (p50 and p99)",
                    EnumSet.of(Metric.P50, Metric.P99), List.of(Dimension.ENGINE, Dimension.CONCURRENCY),
                    ENGINE_AND_CLIENTS, LATENCY),
            new Spec(Scenario.STARTUP, "startup.png", "Time to ready and migration per engine",
                    EnumSet.of(Metric.READY, Metric.MIGRATION), List.of(Dimension.ENGINE), ENGINE, "time (ms)"),
            new Spec(Scenario.MEMORY, "memory.png", "Resident memory of the gateway",
                    EnumSet.of(Metric.RSS), List.of(Dimension.SUBJECT), "state of the gateway", "RSS (MB)"));

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private BenchmarkCharts() {
    }

    /** Draws every chart the measurements have figures for into {@code directory}; returns them in report order. */
    static List<Chart> write(List<Measurement> measurements, Path directory) {
        System.setProperty("java.awt.headless", "true");
        List<Chart> charts = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (Spec spec : SPECS) {
                List<Measurement> figures = measurements.stream()
                        .filter(m -> m.scenario() == spec.scenario() && spec.metrics().contains(m.metric()))
                        .toList();
                Path file = directory.resolve(spec.file());
                if (figures.isEmpty()) {
                    Files.deleteIfExists(file);
                    continue;
                }
                BitmapEncoder.saveBitmap(draw(spec, figures), file.toString(), BitmapEncoder.BitmapFormat.PNG);
                charts.add(new Chart(spec.scenario(), spec.file(), spec.title()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the charts to " + directory, e);
        }
        return charts;
    }

    private static CategoryChart draw(Spec spec, List<Measurement> figures) {
        List<Measurement> ordered = new ArrayList<>(figures);
        if (spec.category().getFirst() == Dimension.CONCURRENCY) {
            ordered.sort(Comparator.comparingInt(Measurement::concurrency));
        }
        List<String> categories = new ArrayList<>(new LinkedHashSet<>(
                ordered.stream().map(m -> axisLabel(m, spec.category())).toList()));
        Function<Measurement, String> seriesName = seriesNames(spec, ordered);
        Map<String, Double[]> series = new LinkedHashMap<>();
        for (Measurement m : ordered) {
            Double[] values = series.computeIfAbsent(seriesName.apply(m), name -> new Double[categories.size()]);
            values[categories.indexOf(axisLabel(m, spec.category()))] = m.median();
        }

        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xAxis()).yAxisTitle(spec.yAxis()).build();
        boolean millis = spec.yAxis().contains("(ms)");
        String pattern = millis ? "#,##0.###" : spec.yAxis().contains("MB") ? "#,##0.0" : "#,##0";
        chart.getStyler().setLocale(Locale.ROOT);
        chart.getStyler().setDecimalPattern(pattern);
        chart.getStyler().setYAxisDecimalPattern(millis ? pattern : "#,##0");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsPosition(0.95);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        // A series may lack a category (a subject measured on one engine only): that bar is left out.
        series.forEach((name, values) -> chart.addSeries(name, categories, Arrays.asList(values)));
        return chart;
    }

    /**
     * Names a series by what tells the bars of one category apart: the dimensions off the x axis that take several
     * values within a category, plus the metric where those alone would put two metrics in one series (p50 and p99
     * of the same subject). A dimension that only follows the category (memory idle at concurrency 0, under load at
     * 64) or is unset (the direct baseline has no engine) names nothing.
     */
    private static Function<Measurement, String> seriesNames(Spec spec, List<Measurement> figures) {
        List<Dimension> varying = new ArrayList<>();
        for (Dimension dimension : Dimension.values()) {
            if (spec.category().contains(dimension)) {
                continue;
            }
            Map<String, Set<String>> valuesPerCategory = new LinkedHashMap<>();
            figures.forEach(m -> valuesPerCategory.computeIfAbsent(axisLabel(m, spec.category()),
                    category -> new LinkedHashSet<>()).add(label(m, List.of(dimension))));
            if (valuesPerCategory.values().stream()
                    .anyMatch(values -> values.stream().filter(value -> !value.isEmpty()).count() > 1)) {
                varying.add(dimension);
            }
        }
        Map<String, Set<Metric>> metrics = new LinkedHashMap<>();
        figures.forEach(m -> metrics.computeIfAbsent(label(m, varying), k -> EnumSet.noneOf(Metric.class))
                .add(m.metric()));
        boolean withMetric = metrics.values().stream().anyMatch(set -> set.size() > 1);
        return m -> {
            String name = label(m, varying);
            if (withMetric) {
                name = (name + " " + Figures.shortName(m.metric())).strip();
            }
            if (name.isEmpty()) {
                // One series: name it by what it shows rather than leave the legend blank.
                name = !m.engine().isEmpty() && !spec.category().contains(Dimension.ENGINE)
                        ? Figures.engine(m.engine()) : Figures.subject(m.subject());
            }
            return name;
        };
    }

    private static String axisLabel(Measurement m, List<Dimension> dimensions) {
        String label = label(m, dimensions);
        if (!label.isEmpty()) {
            return label;
        }
        return dimensions.contains(Dimension.ENGINE) ? "no database" : "–";
    }

    private static String label(Measurement m, List<Dimension> dimensions) {
        List<String> parts = new ArrayList<>();
        for (Dimension dimension : dimensions) {
            switch (dimension) {
                case SUBJECT -> parts.add(Figures.subject(m.subject()));
                case ENGINE -> parts.add(m.engine().isEmpty() ? "" : Figures.engine(m.engine()));
                case CONCURRENCY -> parts.add(m.concurrency() == 0 ? ""
                        : dimensions.size() == 1 ? Integer.toString(m.concurrency()) : concurrency(m));
            }
        }
        parts.removeIf(String::isEmpty);
        return parts.isEmpty() ? "" : String.join(", ", parts);
    }

    private static String concurrency(Measurement m) {
        if (m.scenario() == Scenario.JOB_CLAIMS) {
            return m.concurrency() + (m.concurrency() == 1 ? " worker" : " workers");
        }
        if (m.scenario() == Scenario.REPLICA_DELIVERY || m.scenario() == Scenario.SESSIONS) {
            return m.concurrency() + (m.concurrency() == 1 ? " client" : " clients");
        }
        return "concurrency " + m.concurrency();
    }
}
