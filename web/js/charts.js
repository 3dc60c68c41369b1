// charts.js - Chart.js (Debian's libjs-chart.js, served at /vendor/chart.js/)
// with the UI's palette and defaults.  Every chart gets an accessible name
// and a text summary for screen readers next to its canvas.
import { h } from './dom.js';

export const PALETTE = ['#4263eb', '#12b886', '#f59f00', '#e8590c', '#7048e8', '#1098ad', '#d6336c', '#868e96', '#94d82d', '#5c7cfa'];
export const STATUS_COLORS = {
  proposed: '#f59f00', active: '#12b886', completed: '#4263eb', ended: '#e8590c', declined: '#adb5bd',
};

const live = new Set();
let configured = false;

function configure() {
  if (configured || !window.Chart) return;
  configured = true;
  const d = window.Chart.defaults;
  d.font.family = getComputedStyle(document.body).fontFamily;
  d.font.size = 12;
  d.color = '#495057';
  d.borderColor = '#e9ecef';
  d.plugins.legend.labels.boxWidth = 12;
  d.plugins.legend.labels.boxHeight = 12;
  d.plugins.tooltip.backgroundColor = '#212529';
  d.plugins.tooltip.padding = 10;
  d.animation.duration = 300;
}

// Destroy the charts of a previous render (their canvases are gone).
export function destroyCharts() {
  for (const c of live) c.destroy();
  live.clear();
}

// A chart card: title, KPI id, the canvas and a hidden text summary.
export function chartCard({ id, title, kpi, config, summary, wide = false, note }) {
  const canvas = h('canvas', { role: 'img', 'aria-label': `${title}. ${summary || ''}`, id });
  const box = h('div', { class: 'chart-box' }, canvas);
  const card = h('figure', { class: wide ? 'card chart-card wide' : 'card chart-card' },
    h('figcaption', { class: 'chart-title' }, kpi ? h('span', { class: 'kpi-id' }, kpi) : null, title),
    box,
    note ? h('p', { class: 'chart-note muted' }, note) : null,
    summary ? h('p', { class: 'sr-only' }, summary) : null);
  queueMicrotask(() => draw(canvas, box, config));
  return card;
}

function draw(canvas, box, config) {
  if (!window.Chart) {
    box.replaceChildren(h('p', { class: 'muted' }, 'Charts need Chart.js (the libjs-chart.js package) on the server.'));
    return;
  }
  configure();
  if (!canvas.isConnected) return;
  const opts = config.options || (config.options = {});
  opts.responsive = true;
  opts.maintainAspectRatio = false;
  live.add(new window.Chart(canvas, config));
}

export const barConfig = (labels, datasets, { horizontal = false, stacked = false, legend = datasets.length > 1, yTitle } = {}) => ({
  type: 'bar',
  data: {
    labels,
    datasets: datasets.map((ds, i) => ({
      backgroundColor: ds.color || PALETTE[i % PALETTE.length], borderRadius: 4, maxBarThickness: 36, ...ds,
    })),
  },
  options: {
    indexAxis: horizontal ? 'y' : 'x',
    plugins: { legend: { display: legend, position: 'bottom' } },
    scales: {
      x: { stacked, grid: { display: !horizontal ? false : true }, ticks: { precision: 0 } },
      y: { stacked, grid: { display: horizontal ? false : true }, beginAtZero: true, ticks: { precision: 0 }, title: yTitle ? { display: true, text: yTitle } : undefined },
    },
  },
});

export const doughnutConfig = (labels, data, colors) => ({
  type: 'doughnut',
  data: { labels, datasets: [{ data, backgroundColor: colors || PALETTE, borderWidth: 2, borderColor: '#fff' }] },
  options: { cutout: '62%', plugins: { legend: { position: 'right' } } },
});
