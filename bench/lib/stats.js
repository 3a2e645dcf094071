'use strict';
// Small statistics and formatting helpers shared by the benchmarks.

/** Sorted copy of `values` (numbers), ascending. */
function sorted(values) {
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0..100) by nearest rank on a sorted copy; NaN for no samples. */
function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

/** The median (mean of the two middle values for an even count). */
function median(values) {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? NaN : num / den;
}

/** Milliseconds, with precision that suits the magnitude. */
function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  if (value >= 1) return `${value.toFixed(2)} ms`;
  return `${value.toFixed(3)} ms`;
}

/** A rate with a thousands separator. */
function rate(value, unit = 'msg/s') {
  if (!Number.isFinite(value)) return 'n/a';
  return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
}

/** A ratio such as 1.23x. */
function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a';
}

/** Epoch milliseconds with sub-millisecond precision, comparable across threads of one process. */
function nowMs() {
  return performance.timeOrigin + performance.now();
}

module.exports = { percentile, median, slope, ms, rate, ratio, nowMs, sorted };
