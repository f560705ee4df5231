import { get, since, LOOKBACKS } from './api.js';
import { badge, clear, formatTime, h, s, serviceColor, shortId } from './dom.js';

const MESSAGING = new Set(['kafka', 'rabbitmq', 'nats', 'mqtt', 'redis', 'messaging']);
const ROWH = 68;
const NODE_W = 150;
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
  const list = [...nodes.values()];
  markBackLinks(list);
  // longest-path layering over the forward links only: a cycle (pricing pushes prices back to the
  // frontend that calls it) would otherwise push every node one column further per pass
  for (const n of list) n.layer = 0;
  for (const n of topoOrder(list)) {
    for (const l of n.out) if (!l.back && l.to.layer < n.layer + 1) l.to.layer = n.layer + 1;
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

// Depth-first from the nodes with the fewest callers and the most callees (the entry points): a link
// to a node still on the stack closes a cycle and is drawn as a back link; the rest is a DAG to layer.
function markBackLinks(list) {
  const state = new Map();
  const roots = [...list].sort((a, b) => (a.in.length - b.in.length) || (b.out.length - a.out.length)
    || a.key.localeCompare(b.key));
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack = [[root, 0]];
    state.set(root, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [n, i] = top;
      if (i >= n.out.length) {
        state.set(n, 'done');
        stack.pop();
        continue;
      }
      top[1] = i + 1;
      const l = n.out[i];
      const seen = state.get(l.to);
      if (seen === 'open') l.back = true;
      else if (!seen) {
        state.set(l.to, 'open');
        stack.push([l.to, 0]);
      }
    }
  }
}

function topoOrder(list) {
  const indegree = new Map(list.map((n) => [n, n.in.filter((l) => !l.back).length]));
  const ready = list.filter((n) => indegree.get(n) === 0);
  const order = [];
  while (ready.length) {
    const n = ready.shift();
    order.push(n);
    for (const l of n.out) {
      if (l.back) continue;
      indegree.set(l.to, indegree.get(l.to) - 1);
      if (indegree.get(l.to) === 0) ready.push(l.to);
    }
  }
  return order;
}

function edgeLabel(e) {
  const pct = Math.floor(e.ratio * 1000) / 10;
  return [e.transport, `${pct}%${e.broken > 0 ? ' · ' + e.broken + ' lost' : ''}`];
}

// No DOM measuring before the SVG is attached: an 11px system font averages under 6.3px a glyph.
const labelWidth = (lines) => Math.max(...lines.map((t) => t.length)) * 6.3 + 12;
const LABEL_H = 30;

function bezier(p, t) {
  const u = 1 - t;
  const at = (k) => u * u * u * p[0][k] + 3 * u * u * t * p[1][k] + 3 * u * t * t * p[2][k] + t * t * t * p[3][k];
  return [at(0), at(1)];
}

function overlap(a, b) {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const hgt = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && hgt > 0 ? w * hgt : 0;
}

function drawGraph(graph, onEdge) {
  const labelled = graph.links.filter((l) => l.part !== 'consume');
  const widest = Math.max(0, ...labelled.map((l) => labelWidth(edgeLabel(l.edge))));
  // the gap between columns holds one label, so neighbouring columns' labels never collide
  const gap = Math.min(Math.max(widest + 40, 120), 240);
  const col = NODE_W + gap;
  const cols = graph.layers.length;
  const rows = Math.max(...graph.layers.map((l) => (l ? l.length : 0)));
  const width = cols * col - gap + 40;
  const height = rows * ROWH + 60;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, class: 'service-map', id: 'service-map' });
  const defs = s('defs');
  for (const c of ['#2e9e5b', '#8bbf3f', '#e29a2d', '#d93a3a']) {
    defs.appendChild(s('marker', {
      id: 'arrow-' + c.slice(1), viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 9, markerHeight: 9,
      markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse',
    }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: c })));
  }
  svg.appendChild(defs);
  const x = (n) => 20 + n.layer * col;
  const y = (n) => 20 + n.row * ROWH;
  const lines = s('g', { class: 'edge-lines' });
  const nodeLayer = s('g', { class: 'nodes' });
  // labels last: SVG paints and hit-tests in document order, so no line covers a label
  const tags = s('g', { class: 'edge-labels' });
  const taken = graph.nodes.map((n) => ({ x: x(n) - 4, y: y(n) - 4, w: NODE_W + 8, h: NODE_H + 8 }));
  const select = (i, e) => {
    for (const other of svg.querySelectorAll('.selected')) other.classList.remove('selected');
    for (const part of svg.querySelectorAll(`[data-edge="${i}"]`)) part.classList.add('selected');
    onEdge(e);
  };
  const jobs = [];
  graph.links.forEach((l) => {
    const e = l.edge;
    const i = graph.links.findIndex((o) => o.edge === e);
    const color = ratioColor(e.ratio, e.broken);
    const x1 = x(l.from) + NODE_W;
    const y1 = y(l.from) + NODE_H / 2;
    const x2 = x(l.to);
    const y2 = y(l.to) + NODE_H / 2;
    const p = l.back || x2 <= x1
      ? [[x1, y1], [x1 + 80, Math.max(y1, y2) + ROWH], [x2 - 80, Math.max(y1, y2) + ROWH], [x2, y2]]
      : [[x1, y1], [(x1 + x2) / 2, y1], [(x1 + x2) / 2, y2], [x2, y2]];
    const d = `M ${p[0][0]} ${p[0][1]} C ${p[1][0]} ${p[1][1]}, ${p[2][0]} ${p[2][1]}, ${p[3][0]} ${p[3][1]}`;
    const broken = e.broken > 0;
    const data = {
      'data-edge': i, 'data-from': e.from, 'data-to': e.to, 'data-transport': e.transport, 'data-broken': e.broken,
      onclick: () => select(i, e),
    };
    const title = `${e.from} → ${e.to} over ${e.transport}${e.destination ? ' (' + e.destination + ')' : ''}: ${e.intact} intact, ${e.broken} broken`;
    lines.appendChild(s('g', { ...data, class: 'edge-line' + (broken ? ' broken' : '') },
      s('path', { d, class: 'edge-hit', fill: 'none', stroke: 'transparent', 'stroke-width': 16, 'pointer-events': 'stroke' }),
      s('path', {
        d, class: 'edge-stroke', fill: 'none', stroke: color, 'stroke-width': broken ? 3 : 2,
        'marker-end': `url(#arrow-${color.slice(1)})`,
      }),
      s('title', { text: title })));
    if (l.part !== 'consume') jobs.push({ l, p, x1, x2, data, title, color, broken });
  });
  // flat edges first: they have the fewest free spots along their curve
  jobs.sort((a, b) => Math.abs(a.p[3][1] - a.p[0][1]) - Math.abs(b.p[3][1] - b.p[0][1]));
  for (const { l, p, x1, x2, data, title, color, broken } of jobs) {
    const text = edgeLabel(l.edge);
    const w = labelWidth(text);
    // try spots along the curve, nearest the callee first (fan-outs part there), keep the first free one
    let best = null;
    const forward = !l.back && x2 > x1;
    for (const t of [0.72, 0.8, 0.64, 0.88, 0.56, 0.48, 0.4, 0.32, 0.24, 0.16]) {
      const [bx, cy] = bezier(p, t);
      // a forward label stays inside the gap between the columns it joins, clear of both nodes
      const cx = forward ? Math.min(Math.max(bx, x1 + 6 + w / 2), x2 - 6 - w / 2) : bx;
      const box = { x: cx - w / 2, y: cy - LABEL_H / 2, w, h: LABEL_H };
      const cost = taken.reduce((sum, b) => sum + overlap(box, b), 0);
      if (!best || cost < best.cost) best = { box, cost };
      if (cost === 0) break;
    }
    const b = best.box;
    taken.push(b);
    tags.appendChild(s('g', { ...data, class: 'edge' + (broken ? ' broken' : '') },
      s('rect', {
        x: b.x, y: b.y, width: b.w, height: b.h, rx: 5, class: 'edge-tag', stroke: color,
      }),
      s('text', { x: b.x + b.w / 2, y: b.y + 13, 'text-anchor': 'middle', class: 'edge-label' },
        s('tspan', { x: b.x + b.w / 2, text: text[0] }),
        s('tspan', { x: b.x + b.w / 2, dy: 13, text: text[1] })),
      s('title', { text: title })));
  }
  for (const n of graph.nodes) {
    const service = n.type === 'service';
    nodeLayer.appendChild(s('g', { class: 'node ' + (service ? 'service' : 'destination'), 'data-node': n.label, transform: `translate(${x(n)},${y(n)})` },
      s('rect', {
        width: NODE_W, height: NODE_H, rx: service ? 6 : 16,
        fill: service ? '#fff' : '#f3f0ff', stroke: service ? serviceColor(n.label) : '#7a6ad8', 'stroke-width': 2,
      }),
      s('text', { x: NODE_W / 2, y: service ? 22 : 15, 'text-anchor': 'middle', class: 'node-label', text: clip(n.label, 20) }),
      service ? null : s('text', { x: NODE_W / 2, y: 28, 'text-anchor': 'middle', class: 'node-type', text: n.type }),
      s('title', { text: n.label })));
  }
  svg.append(lines, nodeLayer, tags);
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
