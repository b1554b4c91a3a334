/**
 * Line charts as a standalone SVG document, one panel per measure stacked vertically, so a benchmark
 * can commit its plot to docs/ without a plotting dependency or a browser.
 */

export interface Series {
  readonly name: string;
  /** [x, y] points in x order; NaN y values leave a gap. */
  readonly points: readonly (readonly [number, number])[];
}

export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly Series[];
}

const WIDTH = 960;
const PANEL_HEIGHT = 230;
const MARGIN = { left: 70, right: 190, top: 30, bottom: 36 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0));

function panel(p: Panel, top: number, xMax: number, xLabel: string): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const ys = p.series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const yMax = niceCeiling(Math.max(0, ...ys));
  const x = (v: number) => MARGIN.left + (v / xMax) * plotW;
  const y = (v: number) => top + MARGIN.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [
    `<text x="${MARGIN.left}" y="${top + 20}" font-size="14" font-weight="bold">${escape(p.title)} (${escape(p.unit)})</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (yMax * i) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" font-size="11" text-anchor="end">${fmt(value)}</text>`,
    );
  }
  for (let i = 0; i <= 6; i++) {
    const value = (xMax * i) / 6;
    parts.push(
      `<text x="${x(value)}" y="${top + MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle">${fmt(value)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${top + PANEL_HEIGHT - 4}" font-size="11" text-anchor="middle">${escape(xLabel)}</text>`,
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`,
  );
  p.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] as string;
    const segments: string[][] = [[]];
    for (const [px, py] of s.points) {
      if (Number.isFinite(py)) (segments.at(-1) as string[]).push(`${x(px).toFixed(1)},${y(py).toFixed(1)}`);
      else segments.push([]);
    }
    for (const segment of segments.filter((seg) => seg.length > 0)) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.5" points="${segment.join(' ')}"/>`);
    }
    const ly = top + MARGIN.top + 14 + i * 16;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 32}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${WIDTH - MARGIN.right + 38}" y="${ly}" font-size="11">${escape(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

export function lineCharts(title: string, panels: readonly Panel[], xLabel: string): string {
  const xMax = niceCeiling(Math.max(0, ...panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x)))));
  const height = 40 + panels.length * PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" font-size="16" text-anchor="middle">${escape(title)}</text>`,
    ...panels.map((p, i) => panel(p, 40 + i * PANEL_HEIGHT, xMax, xLabel)),
    '</svg>',
    '',
  ].join('\n');
}
