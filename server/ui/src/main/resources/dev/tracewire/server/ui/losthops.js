import { get, since, LOOKBACKS } from './api.js';
import { badge, h, s } from './dom.js';
import { findingItem, ratioColor } from './map.js';

const BINS = 24;

/** Lost hops: findings grouped by edge and kind, worst edges first, with counts over time. */
export async function renderLostHops(root, _arg, params) {
  const lookback = params.get('lookback') || 'all';
  const start = since(lookback);
  const [findingsBody, integrityBody] = await Promise.all([
    get('/api/v1/findings', { start, limit: 1000 }),
    get('/api/v1/integrity', { start }),
  ]);
  const findings = findingsBody.findings || [];
  const edges = integrityBody.edges || [];
  const picker = h('select', {
    onchange: (e) => { location.hash = '#/lost?lookback=' + e.target.value; },
  }, LOOKBACKS.map(([v, label]) => h('option', { value: v }, label)));
  picker.value = lookback;
  root.appendChild(h('div', { className: 'toolbar' }, h('h2', null, 'Lost hops'), picker,
    h('span', { className: 'muted' }, findings.length >= 1000 ? 'the newest 1,000 findings' : `${findings.length} findings`)));
  if (findings.length === 0) {
    root.appendChild(h('p', { className: 'muted', id: 'lost-empty' }, 'No broken hops in this window.'));
    return;
  }
  const groups = groupFindings(findings, edges);
  const times = findings.map((f) => Date.parse(f.time)).filter(Number.isFinite);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 1);
  const table = h('table', { className: 'lost-hops', id: 'lost-hops' },
    h('tr', null, h('th', null, 'edge'), h('th', null, 'transport'), h('th', null, 'integrity'),
      h('th', null, 'finding kind'), h('th', null, 'blame'), h('th', null, 'count'), h('th', null, 'over time'), h('th', null, 'what to do')));
  for (const g of groups) {
    g.kinds.forEach((k, i) => {
      const details = h('tr', { className: 'lost-details', hidden: true },
        h('td', { colSpan: 8 }, h('ul', null, k.findings.slice(0, 50).map(findingItem))));
      table.append(h('tr', {
        className: 'lost-row' + (i === 0 ? ' first' : ''),
        dataset: { from: g.from, to: g.to, kind: k.kind },
        onclick: () => { details.hidden = !details.hidden; },
      },
      h('td', null, i === 0 ? h('strong', null, `${g.from} → ${g.to}`) : ''),
      h('td', null, i === 0 ? g.transport : ''),
      h('td', null, i === 0 && g.edge ? h('span', { className: 'ratio', style: { color: ratioColor(g.edge.ratio, g.edge.broken) } },
        `${(g.edge.ratio * 100).toFixed(1)}% (${g.edge.broken} of ${g.edge.intact + g.edge.broken} lost)`) : ''),
      h('td', null, badge(k.kind, 'finding')),
      h('td', { className: k.blame === 'informational' ? 'muted' : '' }, k.blame),
      h('td', { className: 'count' }, String(k.findings.length)),
      h('td', null, sparkline(k.findings, t0, t1)),
      h('td', { className: 'hint' }, k.findings[0].hint)), details);
    });
  }
  root.appendChild(h('p', { className: 'muted' }, 'Worst edges first. Click a row for its findings and traces.'));
  root.appendChild(table);
}

/** Groups by (from, to, transport), then kind; edges with the most findings first. */
export function groupFindings(findings, edges) {
  const byEdge = new Map();
  for (const f of findings) {
    const key = `${f.hop.from}\u0000${f.hop.to}\u0000${f.hop.transport}`;
    let g = byEdge.get(key);
    if (!g) {
      g = { from: f.hop.from, to: f.hop.to, transport: f.hop.transport, total: 0, byKind: new Map() };
      g.edge = mergeEdges(edges.filter((e) => e.from === g.from && e.to === g.to && e.transport === g.transport));
      byEdge.set(key, g);
    }
    g.total++;
    let k = g.byKind.get(f.kind);
    if (!k) g.byKind.set(f.kind, (k = { kind: f.kind, blame: f.blame, findings: [] }));
    k.findings.push(f);
  }
  const groups = [...byEdge.values()];
  for (const g of groups) g.kinds = [...g.byKind.values()].sort((a, b) => b.findings.length - a.findings.length);
  // hops actually lost first; informational findings (clock skew, unpaired exits) sink
  const lost = (g) => (g.edge ? g.edge.broken : 0);
  groups.sort((a, b) => (lost(b) - lost(a)) || (b.total - a.total)
    || ((a.edge ? a.edge.ratio : 1) - (b.edge ? b.edge.ratio : 1)));
  return groups;
}

function mergeEdges(list) {
  if (list.length === 0) return null;
  const intact = list.reduce((n, e) => n + e.intact, 0);
  const broken = list.reduce((n, e) => n + e.broken, 0);
  return { intact, broken, ratio: intact + broken ? intact / (intact + broken) : 1 };
}

function sparkline(findings, t0, t1) {
  const bins = new Array(BINS).fill(0);
  for (const f of findings) {
    const t = Date.parse(f.time);
    if (!Number.isFinite(t)) continue;
    bins[Math.min(BINS - 1, Math.floor(((t - t0) / (t1 - t0)) * BINS))]++;
  }
  const max = Math.max(1, ...bins);
  const svg = s('svg', { width: BINS * 4, height: 20, class: 'spark' });
  bins.forEach((n, i) => {
    const hgt = n ? Math.max(2, (18 * n) / max) : 0;
    svg.appendChild(s('rect', { x: i * 4, y: 20 - hgt, width: 3, height: hgt, fill: '#d93a3a' }));
  });
  svg.appendChild(s('title', { text: `${findings.length} over ${new Date(t0).toISOString()} – ${new Date(t1).toISOString()}` }));
  return svg;
}
