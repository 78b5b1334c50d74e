package dev.aio4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables of the report, as the page and the console show them: a caption,
 * a header row, and rows of cells whose text is either a figure or, for a
 * skipped cell, the reason it has none.
 */
final class Tables {
    private Tables() {}

    /** A column heading; {@code anchor} is where it links to on the page (empty: no link). */
    record Column(String label, String anchor) {}

    /** One cell; {@code skipped} cells show the reason as their text, {@code failed} ones something that broke. */
    record Cell(String text, boolean skipped, boolean failed) {
        static Cell of(String text) {
            return new Cell(text, false, false);
        }

        static Cell of(Result r, String text) {
            return r.ok() ? of(text) : new Cell(r.skipped(), true, r.failed());
        }

        /** What the cell shows: a skipped cell says so, before its reason. */
        public String display() {
            return skipped && !failed ? "skipped: " + text : text;
        }

        /** The page's class for the cell (null: none). */
        public String css() {
            return skipped ? (failed ? "skipped failed" : "skipped") : failed ? "failed" : null;
        }
    }

    /** A row: its name (a subject, a backend) and its cells, one per column after the first. */
    record Row(String name, List<Cell> cells) {}

    /** A table; {@code id} is its anchor on the page. */
    record Table(String id, String caption, List<Column> columns, List<Row> rows) {}

    /** 1234567 as "1.23M": the precision a shared machine's figures deserve. */
    static String human(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** A figure with its error: "1.23M ± 0.10M". */
    static String figure(Result r) {
        return r.error() == null || r.error().isNaN() ? human(r.value()) : human(r.value()) + " ± " + human(r.error());
    }

    /**
     * a / b as "3.4x" (or "96x" from 10 on, "1.27x" under 2, where a target such as 1.3x
     * must not look met by rounding); "-" when either is missing.
     */
    static String ratio(double a, double b) {
        if (!(a > 0 && b > 0)) {
            return "-";
        }
        double x = a / b;
        return String.format(Locale.ROOT, x >= 10 ? "%.0fx" : x >= 2 ? "%.1fx" : "%.2fx", x);
    }

    /**
     * The table as aligned text for the console. A skipped cell says only "skipped" (or "FAILED"):
     * the console lists the reasons under the tables, where they fit on a line.
     */
    static String text(Table t) {
        List<List<String>> lines = new ArrayList<>();
        List<String> head = new ArrayList<>();
        t.columns().forEach(c -> head.add(c.label()));
        lines.add(head);
        for (Row r : t.rows()) {
            List<String> line = new ArrayList<>();
            line.add(r.name());
            for (Cell c : r.cells()) {
                line.add(c.failed() ? "FAILED" : c.skipped() ? "skipped" : c.text());
            }
            lines.add(line);
        }
        int[] width = new int[head.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size() && i < width.length; i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder(t.caption()).append('\n');
        for (List<String> line : lines) {
            sb.append(' ');
            for (int i = 0; i < line.size() && i < width.length; i++) {
                String s = line.get(i);
                // Names to the left, figures to the right, as in every table of numbers.
                sb.append(' ').append(i == 0 ? s + " ".repeat(width[i] - s.length()) : " ".repeat(width[i] - s.length()) + s);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
