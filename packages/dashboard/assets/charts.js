// Small charts in plain SVG (no library: the page stays offline-capable and
// tiny). Every chart is an <svg role="img"> with an aria-label that says what
// a screen reader user would otherwise miss; numbers a person wants to read
// are HTML next to the chart, not text inside a stretched SVG.
import { fmtNum, h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element; attributes as in h(). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, String(value));
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** `M x,y L ...` through the points. */
function linePath(points) {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
}

/** The points of `values` scaled into a width × height box (y grows down), against `max`. */
function scale(values, width, height, max) {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values.map((v, i) => [i * step, height - (Math.max(0, v) / max) * height]);
}

/** A tiny area chart of a series, oldest first (e.g. messages per minute over the last hour). */
export function sparkline(values, label) {
  const width = 120;
  const height = 28;
  const max = Math.max(1, ...values);
  const points = scale(values.length > 0 ? values : [0], width, height - 1, max);
  const line = linePath(points);
  return s(
    'svg',
    { class: 'spark', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, focusable: 'false' },
    s('path', { class: 'spark-area', d: `${line} L${width},${height} L0,${height} Z` }),
    s('path', { class: 'spark-line', d: line }),
  );
}

/**
 * Several series over the same time buckets, drawn as overlapping areas with
 * a legend (series: [{ name, cls, values }], values oldest first).
 */
export function areaChart(series, { label, startLabel, endLabel, unit }) {
  const width = 600;
  const height = 150;
  const max = Math.max(1, ...series.flatMap((one) => one.values));
  const grid = [0.5, 1].map((f) => s('line', { class: 'grid-line', x1: 0, x2: width, y1: height - f * height + 0.5, y2: height - f * height + 0.5 }));
  const shapes = series.map((one) => {
    const line = linePath(scale(one.values, width, height - 1, max));
    return s('g', { class: `series ${one.cls}` },
      s('path', { class: 'series-area', d: `${line} L${width},${height} L0,${height} Z` }),
      s('path', { class: 'series-line', d: line }));
  });
  const chart = s('svg', { class: 'area-chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, focusable: 'false' }, ...grid, ...shapes);
  return h('figure', { class: 'chart' },
    h('div', { class: 'chart-axis-y muted small' }, `${fmtNum(max)} ${unit}`),
    h('div', { class: 'chart-frame' }, chart),
    h('div', { class: 'chart-axis-x muted small' }, h('span', null, startLabel), h('span', null, endLabel)),
    h('figcaption', { class: 'legend' }, ...series.map((one) =>
      h('span', { class: `legend-item ${one.cls}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), `${one.name} `, h('strong', null, fmtNum(one.values.at(-1) ?? 0)), ` ${unit} now`))),
  );
}

/**
 * Quota burn-down over the quota day: units used so far (samples), the
 * daily limit and the buffer line, and a dashed projection to the reset at
 * the pace of the last hour (or of the day so far). Returns the figure and
 * the projected use at reset.
 */
export function burnDown({ samples, daily, buffer, resetsAt, now, label }) {
  const width = 600;
  const height = 120;
  const end = Date.parse(resetsAt);
  const start = end - 86_400_000;
  const points = samples.map((sample) => [Date.parse(sample.at), sample.used]).filter(([t, u]) => Number.isFinite(t) && Number.isFinite(u) && t >= start && t <= end);
  const projected = projection(points, end);
  const top = Math.max(daily, projected ?? 0, ...points.map(([, u]) => u)) * 1.05 || 1;
  const x = (t) => ((t - start) / (end - start)) * width;
  const y = (u) => height - (u / top) * height;
  const children = [
    s('line', { class: 'limit-line', x1: 0, x2: width, y1: y(daily), y2: y(daily) }),
    buffer > 0 ? s('line', { class: 'buffer-line', x1: 0, x2: width, y1: y(daily - buffer), y2: y(daily - buffer) }) : null,
  ];
  if (points.length > 0) {
    const line = linePath(points.map(([t, u]) => [x(t), y(u)]));
    const [lastT, lastU] = points.at(-1);
    children.push(s('path', { class: 'used-area', d: `${line} L${x(lastT).toFixed(1)},${height} L${x(points[0][0]).toFixed(1)},${height} Z` }));
    children.push(s('path', { class: 'used-line', d: line }));
    if (projected !== undefined) children.push(s('line', { class: 'projection-line', x1: x(lastT), y1: y(lastU), x2: width, y2: y(projected) }));
  }
  const nowX = x(now);
  if (nowX >= 0 && nowX <= width) children.push(s('line', { class: 'now-line', x1: nowX, x2: nowX, y1: 0, y2: height }));
  const figure = h('figure', { class: 'chart burn-down' },
    h('div', { class: 'chart-frame' },
      s('svg', { class: 'area-chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label, focusable: 'false' }, ...children)),
    h('div', { class: 'chart-axis-x muted small' }, h('span', null, 'day start'), h('span', null, 'reset')));
  return { figure, projected };
}

/** Units at `end` if use goes on at the pace of the last hour of samples (or all of them). */
function projection(points, end) {
  if (points.length < 2) return undefined;
  const [lastT, lastU] = points.at(-1);
  const hourAgo = lastT - 3_600_000;
  const from = points.find(([t]) => t >= hourAgo && t < lastT) ?? points[0];
  if (from[0] === lastT) return undefined;
  const rate = Math.max(0, (lastU - from[1]) / (lastT - from[0]));
  return Math.round(lastU + rate * Math.max(0, end - lastT));
}

/** A labelled usage bar (used of capacity) as a progressbar. */
export function usageBar(used, capacity, label) {
  const fill = h('span', { class: 'usage-fill' });
  const ratio = capacity > 0 ? Math.max(0, Math.min(1, used / capacity)) : 0;
  fill.style.width = `${(ratio * 100).toFixed(1)}%`;
  return h('span', {
    class: `usage${ratio >= 0.9 ? ' usage-high' : ratio >= 0.6 ? ' usage-mid' : ''}`,
    role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': capacity, 'aria-valuenow': used, 'aria-label': label,
  }, fill);
}
