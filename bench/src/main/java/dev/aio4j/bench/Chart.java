package dev.aio4j.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The chart: grouped bars, one group per workload and one bar per subject, on
 * a linear axis, with error bars.
 *
 * <p>The workloads' rates differ by 500x (tens of millions of callbacks a
 * second, a hundred thousand TCP round trips), so each group is drawn as a
 * share of its fastest subject: one linear axis then shows every group, and
 * within a group the bars and their error bars keep their true proportions.
 * The absolute figures are in the tables.
 */
final class Chart {
    private Chart() {}

    /** Colour-blind-safe (Okabe-Ito, then Tol's muted): a subject keeps its colour however many are drawn. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7), new Color(0x56B4E9),
        new Color(0xD55E00), new Color(0xF0E442), new Color(0x000000), new Color(0x882255), new Color(0x44AA99),
        new Color(0x999933), new Color(0xAA4499), new Color(0x888888)};

    static void draw(Results results, List<String> workloads, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(620)
                .title("Throughput by workload, as a share of the fastest subject on it (linear; higher is better)")
                .xAxisTitle("workload").yAxisTitle("share of the fastest").build();
        var styler = chart.getStyler();
        styler.setOverlapped(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisDecimalPattern("#%");
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setErrorBarsColor(new Color(0x333333)); // the series' own colour would vanish against its bar
        List<Color> colours = new ArrayList<>();
        double low = 0;
        double high = 1.05;
        List<String> subjects = results.subjects();
        for (int i = 0; i < subjects.size(); i++) {
            String s = subjects.get(i);
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            boolean any = false;
            for (String w : workloads) {
                double fastest = results.results().stream().filter(r -> r.workload().equals(w) && r.ok())
                        .mapToDouble(Result::value).max().orElse(0);
                Result r = results.find(s, w).filter(Result::ok).orElse(null);
                // A skipped cell is an empty slot in its group; the note beside the chart says why.
                ys.add(r == null ? null : r.value() / fastest);
                errors.add(r == null ? 0.0 : r.errorOrZero() / fastest);
                if (r != null) {
                    any = true;
                    low = Math.min(low, (r.value() - r.errorOrZero()) / fastest);
                    high = Math.max(high, (r.value() + r.errorOrZero()) / fastest);
                }
            }
            if (any) {
                chart.addSeries(s, workloads, ys, errors);
                colours.add(PALETTE[i % PALETTE.length]);
            }
        }
        if (colours.isEmpty()) {
            chart.addSeries("nothing measured", List.of("none"), List.of(0.0));
            colours.add(Color.GRAY);
        }
        styler.setSeriesColors(colours.toArray(Color[]::new));
        // The axis holds every error bar, which XChart would otherwise draw across the title. A bar below
        // zero is the symmetric bar of a skewed spread (one run far faster than the others), not a rate.
        styler.setYAxisMin(Math.floor(low * 10) / 10);
        styler.setYAxisMax(Math.ceil(high * 10) / 10);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
