import { get, since, LOOKBACKS } from './api.js';
import { badge, clear, formatTime, h, s, serviceColor, shortId } from './dom.js';

const MESSAGING = new Set(['kafka', 'rabbitmq', 'nats', 'mqtt', 'redis', 'messaging']);
const COL = 320;
const ROWH = 70;
const NODE_W = 160;
const NODE_H = 34;

/** Integrity ratio as a colour: green when whole, red when hops are being lost. */
export function ratioColor(ratio, broken) {
  if (!broken) return '#2e9e5b';
  if (ratio >= 0.99) return '#8bbf3f';
  if (ratio >= 0.9) return '#e29a2d';
  return '#d93a3a';
}

/** Service map: services and messaging destinations as nodes, integrity edges as SVG paths. */
export async function renderMap(root, _arg, params) {
  const lookback = params.get('lookback') || 'all';
  const edges = (await get('/api/v1/integrity', { start: since(lookback) })).edges || [];
  const picker = h('select', {
    onchange: (e) => { location.hash = '#/map?lookback=' + e.target.value; },
  }, LOOKBACKS.map(([v, label]) => h('option', { value: v }, label)));
  picker.value = lookback;
  root.appendChild(h('div', { className: 'toolbar' }, h('h2', null, 'Service map'), picker,
    h('span', { className: 'legend' },
      h('span', { className: 'swatch', style: { background: ratioColor(1, 0) } }), 'all hops intact ',
      h('span', { className: 'swatch', style: { background: ratioColor(0.995, 1) } }), '≥ 99% ',
      h('span', { className: 'swatch', style: { background: ratioColor(0.95, 1) } }), '≥ 90% ',
      h('span', { className: 'swatch', style: { background: ratioColor(0.5, 1) } }), '< 90% intact')));
  if (edges.length === 0) {
    root.appendChild(h('p', { className: 'muted', id: 'map-empty' },
      'No hops analysed in this window. Traces are analysed once they settle; POST /api/v1/analysis/flush closes them now.'));
    return;
  }
  const graph = buildGraph(edges);
  const panel = h('aside', { className: 'edge-panel', id: 'edge-findings' },
    h('p', { className: 'muted' }, 'Click an edge to list its findings.'));
  root.appendChild(h('div', { className: 'map-grid' }, h('div', { className: 'map-scroll' }, drawGraph(graph, (e) => showEdge(panel, e, lookback))), panel));
}

/** Nodes keyed by name; a messaging edge with a destination becomes caller → destination → callee. */
export function buildGraph(edges) {
  const nodes = new Map();
  const node = (key, label, type) => {
    if (!nodes.has(key)) nodes.set(key, { key, label, type, out: [], in: [] });
    return nodes.get(key);
  };
  const links = [];
  for (const e of edges) {
    const from = node('svc:' + e.from, e.from, 'service');
    const to = node('svc:' + e.to, e.to, 'service');
    if (MESSAGING.has(e.transport) && e.destination) {
      const mid = node(`dst:${e.transport}:${e.destination}`, e.destination, e.transport);
      links.push({ from, to: mid, edge: e, part: 'publish' });
      links.push({ from: mid, to, edge: e, part: 'consume' });
    } else {
      links.push({ from, to, edge: e, part: 'call' });
    }
  }
  for (const l of links) {
    l.from.out.push(l);
    l.to.in.push(l);
  }
  // longest-path layering; the pass count bounds the work when a cycle exists
  const list = [...nodes.values()];
  for (const n of list) n.layer = 0;
  for (let pass = 0; pass < list.length; pass++) {
    let changed = false;
    for (const l of links) {
      if (l.from !== l.to && l.to.layer < l.from.layer + 1 && l.from.layer + 1 < list.length) {
        l.to.layer = l.from.layer + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const layers = [];
  for (const n of list) (layers[n.layer] ||= []).push(n);
  // order each layer by the mean row of its callers (barycentre), so edges cross less
  for (const layer of layers) {
    if (!layer) continue;
    const key = (n) => {
      const rows = n.in.filter((l) => l.from.row !== undefined).map((l) => l.from.row);
      return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : 0;
    };
    layer.sort((a, b) => (key(a) - key(b)) || a.label.localeCompare(b.label));
    layer.forEach((n, i) => { n.row = i; });
  }
  return { nodes: list, links, layers };
}

function drawGraph(graph, onEdge) {
  const cols = graph.layers.length;
  const rows = Math.max(...graph.layers.map((l) => (l ? l.length : 0)));
  const width = cols * COL + 40;
  const height = rows * ROWH + 40;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'service-map', id: 'service-map' });
  const defs = s('defs');
  for (const c of ['#2e9e5b', '#8bbf3f', '#e29a2d', '#d93a3a']) {
    defs.appendChild(s('marker', {
      id: 'arrow-' + c.slice(1), viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9,
      markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse',
    }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: c })));
  }
  svg.appendChild(defs);
  const x = (n) => 20 + n.layer * COL;
  const y = (n) => 20 + n.row * ROWH;
  for (const l of graph.links) {
    const e = l.edge;
    const color = ratioColor(e.ratio, e.broken);
    const x1 = x(l.from) + NODE_W;
    const y1 = y(l.from) + NODE_H / 2;
    const x2 = x(l.to);
    const y2 = y(l.to) + NODE_H / 2;
    const back = x2 <= x1;
    const d = back
      ? `M ${x1} ${y1} C ${x1 + 60} ${y1 + 60}, ${x2 - 60} ${y2 + 60}, ${x2} ${y2}`
      : `M ${x1} ${y1} C ${(x1 + x2) / 2} ${y1}, ${(x1 + x2) / 2} ${y2}, ${x2} ${y2}`;
    const broken = e.broken > 0;
    const g = s('g', {
      class: 'edge' + (broken ? ' broken' : ''),
      'data-from': e.from, 'data-to': e.to, 'data-transport': e.transport, 'data-broken': e.broken,
      onclick: () => {
        for (const other of svg.querySelectorAll('.edge.selected')) other.classList.remove('selected');
        g.classList.add('selected');
        onEdge(e);
      },
    },
    s('path', { d, class: 'edge-hit', fill: 'none', stroke: 'transparent', 'stroke-width': 14 }),
    s('path', {
      d, fill: 'none', stroke: color, 'stroke-width': broken ? 3 : 2, 'marker-end': `url(#arrow-${color.slice(1)})`,
    }),
    s('title', { text: `${e.from} → ${e.to} over ${e.transport}${e.destination ? ' (' + e.destination + ')' : ''}: ${e.intact} intact, ${e.broken} broken` }));
    if (l.part !== 'consume') {
      const pct = Math.floor(e.ratio * 1000) / 10;
      g.appendChild(s('text', {
        x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle', class: 'edge-label',
        text: `${e.transport} ${pct}%${broken ? ' · ' + e.broken + ' lost' : ''}`,
      }));
    }
    svg.appendChild(g);
  }
  for (const n of graph.nodes) {
    const service = n.type === 'service';
    svg.appendChild(s('g', { class: 'node ' + (service ? 'service' : 'destination'), 'data-node': n.label, transform: `translate(${x(n)},${y(n)})` },
      s('rect', {
        width: NODE_W, height: NODE_H, rx: service ? 6 : 16,
        fill: service ? '#fff' : '#f3f0ff', stroke: service ? serviceColor(n.label) : '#7a6ad8', 'stroke-width': 2,
      }),
      s('text', { x: NODE_W / 2, y: service ? 22 : 15, 'text-anchor': 'middle', class: 'node-label', text: clip(n.label, 22) }),
      service ? null : s('text', { x: NODE_W / 2, y: 28, 'text-anchor': 'middle', class: 'node-type', text: n.type }),
      s('title', { text: n.label })));
  }
  return svg;
}

async function showEdge(panel, e, lookback) {
  clear(panel).appendChild(h('p', { className: 'muted' }, 'Loading findings…'));
  const all = (await get('/api/v1/findings', { service: e.from, start: since(lookback), limit: 1000 })).findings || [];
  const mine = all.filter((f) => f.hop.from === e.from && f.hop.to === e.to && f.hop.transport === e.transport);
  clear(panel).append(
    h('h3', null, `${e.from} → ${e.to}`),
    h('p', null, `over ${e.transport}${e.destination ? ' via ' + e.destination : ''}: `,
      h('strong', null, `${e.intact} intact, ${e.broken} broken`), ` (${(e.ratio * 100).toFixed(1)}% intact)`),
    h('div', null, Object.entries(e.byKind || {}).map(([k, n]) => badge(`${k} × ${n}`, 'finding'))),
    mine.length === 0
      ? h('p', { className: 'muted' }, e.broken ? 'No findings stored for this edge in the window.' : 'Every hop on this edge arrived intact.')
      : h('ul', { className: 'edge-findings' }, mine.slice(0, 200).map(findingItem)));
}

export function findingItem(f) {
  return h('li', { className: 'finding-item', dataset: { kind: f.kind } },
    badge(f.kind, 'finding'), ' blame: ', h('strong', null, f.blame), ' ',
    h('span', { className: 'muted' }, f.time ? formatTime(BigInt(Date.parse(f.time)) * 1000000n) : ''),
    h('div', { className: 'hint' }, f.hint),
    h('div', null, (f.traceIds || []).map((t, i) => [i ? ' · ' : '',
      h('a', { href: `#/trace/${encodeURIComponent(t)}`, className: 'finding-trace' }, 'trace ' + shortId(t))])));
}

function clip(text, n) {
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}
