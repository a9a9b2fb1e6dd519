/** The growth chart of `npm run bench:scale`: four small panels over the city count, as a dependency-free SVG. */

export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
  /** A target drawn as a horizontal line, e.g. 1000 ms. */
  target?: { value: number; label: string };
}

const PANEL_WIDTH = 430;
const PANEL_HEIGHT = 250;
const MARGIN = { top: 36, right: 20, bottom: 44, left: 62 };
const COLUMNS = 2;

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** Round numbers for axis ticks: 1, 2 or 5 times a power of ten. */
function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((factor) => factor * power).find((step) => step >= raw) ?? 10 * power;
}

const formatTick = (value: number) => (Math.abs(value) >= 1000 ? `${value / 1000}k` : String(Math.round(value * 100) / 100));

function renderPanel(panel: Panel, offsetX: number, offsetY: number, xValues: number[]): string {
  const width = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const height = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const xMax = Math.max(...xValues);
  const yData = panel.series.flatMap((series) => series.points.map((point) => point.y));
  const yMaxRaw = Math.max(...yData, panel.target?.value ?? 0) * 1.1 || 1;
  const yStep = niceStep(yMaxRaw, 5);
  const yMax = Math.ceil(yMaxRaw / yStep) * yStep;
  const x = (value: number) => offsetX + MARGIN.left + (value / xMax) * width;
  const y = (value: number) => offsetY + MARGIN.top + height - (value / yMax) * height;

  const parts: string[] = [];
  parts.push(`<text x="${offsetX + MARGIN.left}" y="${offsetY + 20}" class="title">${escapeXml(panel.title)}</text>`);
  for (let tick = 0; tick <= yMax + yStep / 2; tick += yStep) {
    parts.push(`<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(tick)}" y2="${y(tick)}" class="grid"/>`);
    parts.push(`<text x="${x(0) - 6}" y="${y(tick) + 4}" text-anchor="end" class="tick">${formatTick(tick)}</text>`);
  }
  for (const value of xValues) {
    parts.push(`<line x1="${x(value)}" x2="${x(value)}" y1="${y(0)}" y2="${y(0) + 4}" class="axis"/>`);
    parts.push(`<text x="${x(value)}" y="${y(0) + 17}" text-anchor="middle" class="tick">${value}</text>`);
  }
  parts.push(`<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(0)}" y2="${y(0)}" class="axis"/>`);
  parts.push(`<line x1="${x(0)}" x2="${x(0)}" y1="${y(0)}" y2="${y(yMax)}" class="axis"/>`);
  parts.push(`<text x="${x(xMax / 2)}" y="${offsetY + PANEL_HEIGHT - 8}" text-anchor="middle" class="label">member cities</text>`);
  parts.push(
    `<text transform="translate(${offsetX + 14} ${offsetY + MARGIN.top + height / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeXml(panel.unit)}</text>`,
  );
  if (panel.target) {
    parts.push(`<line x1="${x(0)}" x2="${x(xMax)}" y1="${y(panel.target.value)}" y2="${y(panel.target.value)}" class="target"/>`);
    parts.push(`<text x="${x(0) + 4}" y="${y(panel.target.value) - 4}" class="target-label">${escapeXml(panel.target.label)}</text>`);
  }
  panel.series.forEach((series, index) => {
    const path = series.points.map((point, position) => `${position === 0 ? 'M' : 'L'}${x(point.x).toFixed(1)},${y(point.y).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    for (const point of series.points) parts.push(`<circle cx="${x(point.x).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3" fill="${series.color}"/>`);
    const legendY = offsetY + MARGIN.top + 4 + index * 15;
    parts.push(`<line x1="${x(0) + 10}" x2="${x(0) + 26}" y1="${legendY}" y2="${legendY}" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    parts.push(`<text x="${x(0) + 30}" y="${legendY + 4}" class="legend">${escapeXml(series.label)}</text>`);
  });
  return parts.join('\n  ');
}

export function renderChart(title: string, subtitle: string, panels: Panel[], xValues: number[]): string {
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = PANEL_WIDTH * COLUMNS;
  const height = 56 + rows * PANEL_HEIGHT;
  const body = panels.map((panel, index) => renderPanel(panel, (index % COLUMNS) * PANEL_WIDTH, 56 + Math.floor(index / COLUMNS) * PANEL_HEIGHT, xValues));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-subtitle" font-family="system-ui, sans-serif">
  <title id="chart-title">${escapeXml(title)}</title>
  <desc id="chart-subtitle">${escapeXml(subtitle)}</desc>
  <style>
    .title { font-size: 14px; font-weight: 600; fill: #222; }
    .tick { font-size: 11px; fill: #555; }
    .label { font-size: 12px; fill: #333; }
    .legend { font-size: 11px; fill: #333; }
    .grid { stroke: #e5e5e5; }
    .axis { stroke: #888; }
    .target { stroke: #c0392b; stroke-dasharray: 2 3; }
    .target-label { font-size: 11px; fill: #c0392b; }
  </style>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="16" y="24" font-size="17" font-weight="700" fill="#111">${escapeXml(title)}</text>
  <text x="16" y="44" font-size="12" fill="#555">${escapeXml(subtitle)}</text>
  ${body.join('\n  ')}
</svg>
`;
}
