package dev.aio4j.bench;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The report's two renderings of a {@link ReportView}: the page, from the
 * Mustache template {@code report.html.mustache} (which escapes every value),
 * and the console's text.
 */
final class Page {
    private Page() {}

    /** Writes the page to {@code file}. */
    static void html(ReportView view, Path file) throws IOException {
        Mustache template = new DefaultMustacheFactory("dev/aio4j/bench/report").compile("report.html.mustache");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            template.execute(out, view);
        }
    }

    /** The page's content as text, in the page's order. */
    static String text(ReportView view) {
        StringWriter sb = new StringWriter();
        sb.append("aio4j: which backend for your program\n\nWhich backend for what (fastest in this run)\n");
        for (ReportView.Choice c : view.choices()) {
            sb.append(String.format("  %-12s ", c.workload().id()))
                    .append(c.pick() == null ? c.caveat() : c.pick() + ", " + c.figure() + "; " + c.others()
                            + "; flags: " + c.flags() + (c.caveat() == null ? "" : "; " + c.caveat()))
                    .append('\n');
        }
        sb.append("\nThe backends\n");
        for (ReportView.BackendRow b : view.backends()) {
            sb.append(String.format("  %-12s runs here: %s; flags: %s; fastest or tied on: %s%n  %-12s TCK: %s%n",
                    b.name(), b.available(), b.flags(), b.leads(), "", b.tck()));
        }
        sb.append('\n').append(Tables.text(view.throughput()));
        sb.append('\n').append(Tables.text(view.vsAsyncio()));
        sb.append('\n').append(Tables.text(view.vsUvloop()));
        if (view.anyMissing()) {
            sb.append("\nSkipped and failed\n");
            view.chartNotes().forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        sb.append('\n').append(view.anyTck() ? Tables.text(view.tck()) : "No TCK summary found.\n");
        sb.append("\nMachine\n");
        view.machine().forEach(f -> sb.append(String.format("  %-34s %s%n", f.key(), f.value())));
        view.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
        sb.append("\nProject targets\n");
        for (ReportView.TargetRow t : view.targets()) {
            sb.append(String.format("  %-72s %-14s %s%s%n", t.what(), t.got(), t.verdict(),
                    t.detail() == null ? "" : " (" + t.detail() + ")"));
        }
        return sb.toString();
    }
}
