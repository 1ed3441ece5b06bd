import { decodeHistogram, percentiles } from "../../stats/histogram.ts";
import { runLabels } from "./labels.ts";
import { linePlot, type LineSeries } from "./line-plot.ts";
import { seriesStyle, sequential, styleRefs } from "./palette.ts";
import { logScale, percentileSamples, percentileScale } from "./scale.ts";
import { latencyTick } from "./units.ts";
import type { LoadResult } from "../../model/results.ts";

/**
 * The latency percentile spectrum, as HdrHistogram plots it: every run's whole distribution,
 * with the tail spread out on a 1/(1-p) axis. Read from each run's merged histogram, not from
 * the summary figures, so the curve between p99 and p99.99 is measured rather than drawn.
 */

/** Up to four nines: the runs record tens of thousands of samples, so p99.99 still rests on a few. */
const TOP_PERCENTILE = 99.99;

export interface SpectrumSpec {
  title: string;
  subtitle: string;
  yLabel: string;
  runs: LoadResult[];
}

export function spectrumChart(spec: SpectrumSpec): string | undefined {
  const samples = percentileSamples(TOP_PERCENTILE);
  const marked = new Set(percentileScale(TOP_PERCENTILE).ticks.map((t) => t.value));
  const labels = runLabels(spec.runs);
  const styles = styleRefs(spec.runs.map((r) => r.spec.driver));
  const series: LineSeries[] = [];
  spec.runs.forEach((run, i) => {
    // A run trimmed of its histograms (by hand) has no distribution to draw; the tables still show it.
    if (!run.histograms) return;
    const histogram = decodeHistogram(run.histograms.latency);
    // An empty run (every message lost) has no distribution to draw; the tables say why.
    if (histogram.totalCount === 0) return;
    const points = percentiles(histogram, samples).map(({ p, ns }) => ({ x: p, y: Math.max(1, ns) }));
    const style = styles[i] ?? sequential(i);
    series.push({
      label: labels[i] ?? `run ${i + 1}`,
      style,
      lines: [{ points, dash: seriesStyle(style).dash, markers: points.filter((pt) => marked.has(pt.x)) }],
    });
  });
  if (!series.length) return undefined;
  return linePlot({
    title: spec.title,
    subtitle: spec.subtitle,
    x: { scale: percentileScale(TOP_PERCENTILE), label: "percentile (log scale of 1 / (1 − p): each step adds a nine)" },
    y: {
      scale: logScale(
        series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.y))),
        latencyTick,
      ),
      label: spec.yLabel,
    },
    series,
  });
}
