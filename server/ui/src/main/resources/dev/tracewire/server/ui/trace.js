import { get, hasToken } from './api.js';
import {
  attrTable, badge, clear, plural, formatDuration, formatTime, h, serviceChip, serviceColor, shortId,
} from './dom.js';

const ROW = 24;
const OVERSCAN = 12;
const ENTRY = new Set(['SERVER', 'CONSUMER']);

/** Trace: findings at their hops, a virtualised waterfall, and the selected span's details. */
export async function renderTrace(root, traceId, params) {
  let data;
  try {
    data = await get('/api/v1/traces/' + encodeURIComponent(traceId));
  } catch (e) {
    root.appendChild(h('p', { className: 'error' }, e.status === 404
      ? `Trace ${traceId} is not stored (yet). Spans may still be arriving, or retention removed it.`
      : e.message));
    return;
  }
  const started = performance.now();
  const model = buildModel(data);
  const state = { collapsed: new Set(), selected: null, rows: [] };

  root.appendChild(header(model));
  if (model.skew.length > 0) root.appendChild(skewNote(model.skew));
  if (model.findings.length > 0) root.appendChild(findingList(model, (id) => select(id, true)));

  const body = h('div', { className: 'wf-body', id: 'waterfall' });
  const spacer = h('div', { className: 'wf-spacer' });
  const layer = h('div', { className: 'wf-layer' });
  body.append(spacer, layer);
  const details = h('aside', { className: 'details', id: 'span-details' },
    h('p', { className: 'muted' }, 'Select a span to see its attributes, resource, events and links.'));
  const controls = h('div', { className: 'wf-controls' },
    h('button', { type: 'button', onclick: () => { state.collapsed.clear(); refresh(); } }, 'Expand all'),
    h('button', {
      type: 'button',
      onclick: () => {
        for (const sp of model.spans) if (sp.depth >= 1 && sp.children.length) state.collapsed.add(sp.id);
        refresh();
      },
    }, 'Collapse to services'),
    h('span', { className: 'legend' },
      h('span', { className: 'legend-critical' }, 'critical path'),
      h('span', { className: 'legend-cause' }, 'root cause (deepest error)'),
      h('span', { className: 'legend-inferred' }, 'inferred connection')));
  root.appendChild(h('div', { className: 'trace-grid' },
    h('div', { className: 'waterfall' }, controls, ticks(model), body), details));

  function refresh() {
    state.rows = flatten(model, state.collapsed);
    spacer.style.height = state.rows.length * ROW + 'px';
    body.dataset.rows = String(state.rows.length);
    draw();
  }

  let pending = false;
  body.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  });

  function draw() {
    const height = body.clientHeight || 600;
    const first = Math.max(0, Math.floor(body.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(state.rows.length, Math.ceil((body.scrollTop + height) / ROW) + OVERSCAN);
    clear(layer);
    for (let i = first; i < last; i++) layer.appendChild(rowView(model, state, state.rows[i], i, toggle, select));
  }

  function toggle(id) {
    if (state.collapsed.has(id)) state.collapsed.delete(id);
    else state.collapsed.add(id);
    refresh();
  }

  function select(id, scroll) {
    const span = model.byId.get(id);
    if (!span) return;
    for (let p = span.parent; p; p = p.parent) state.collapsed.delete(p.id);
    state.selected = id;
    refresh();
    if (scroll) {
      const i = state.rows.findIndex((r) => r.type === 'span' && r.span.id === id);
      if (i >= 0) body.scrollTop = Math.max(0, i * ROW - body.clientHeight / 3);
      draw();
    }
    clear(details).appendChild(spanDetails(model, span));
  }

  root.onAttached = () => {
    refresh();
    const wanted = params.get('span');
    const firstFinding = model.spans.find((sp) => sp.findings.length > 0);
    if (wanted && model.byId.has(wanted)) select(wanted, true);
    else if (firstFinding) select(firstFinding.id, true);
    root.dataset.renderMillis = String(Math.round(performance.now() - started));
    root.dataset.spans = String(model.spans.length);
  };
}

/** Tree, skew-corrected times, critical path, deepest error and findings per span. */
export function buildModel(data) {
  const spans = data.spans.map((raw) => ({
    raw,
    id: raw.spanId,
    parentId: raw.parentSpanId || '',
    service: raw.serviceName || '?',
    name: raw.name,
    kind: raw.kind,
    error: raw.status && raw.status.code === 'ERROR',
    startNs: BigInt(raw.startTimeUnixNano),
    durationNs: Number(raw.durationNanos),
    children: [],
    parent: null,
    findings: [],
    inferred: [],
    depth: 0,
    critical: false,
    rootCause: false,
    shiftNs: 0,
  }));
  const byId = new Map(spans.map((sp) => [sp.id, sp]));
  let base = spans.length ? spans[0].startNs : 0n;
  for (const sp of spans) if (sp.startNs < base) base = sp.startNs;
  const roots = [];
  for (const sp of spans) {
    sp.s = Number(sp.startNs - base);
    sp.e = sp.s + sp.durationNs;
    const parent = sp.parentId ? byId.get(sp.parentId) : null;
    if (parent && parent !== sp) {
      sp.parent = parent;
      parent.children.push(sp);
    } else {
      sp.orphan = Boolean(sp.parentId);
      roots.push(sp);
    }
  }
  for (const sp of spans) sp.children.sort((a, b) => a.s - b.s);
  roots.sort((a, b) => (a.orphan - b.orphan) || (a.s - b.s));

  // Clock skew: an entry span drawn outside the exit span that caused it is shifted with its subtree
  const skew = [];
  const order = [];
  const stack = roots.map((r) => [r, 0, 0]).reverse();
  while (stack.length) {
    const [sp, depth, inherited] = stack.pop();
    sp.depth = depth;
    let shift = inherited;
    const p = sp.parent;
    if (p && p.service !== sp.service && ENTRY.has(sp.kind)) {
      const s = sp.s + shift;
      const e = sp.e + shift;
      let delta = 0;
      if (sp.kind === 'SERVER' && (s < p.s || e > p.e)) {
        const pd = p.e - p.s;
        delta = sp.durationNs <= pd ? Math.round(p.s + (pd - sp.durationNs) / 2) - s : p.s - s;
      } else if (sp.kind === 'CONSUMER' && s < p.s) {
        delta = p.s - s;
      }
      if (delta !== 0) {
        shift += delta;
        skew.push({ span: sp, parent: p, delta });
      }
    }
    sp.s += shift;
    sp.e += shift;
    sp.shiftNs = shift;
    order.push(sp);
    for (let i = sp.children.length - 1; i >= 0; i--) stack.push([sp.children[i], depth + 1, shift]);
  }
  let min = Infinity;
  let max = -Infinity;
  for (const sp of spans) {
    min = Math.min(min, sp.s);
    max = Math.max(max, sp.e);
  }
  const span0 = spans.length ? min : 0;
  const total = Math.max(1, max - span0);

  // Critical path: from the end of each span, the last-finishing child before the cursor, backwards
  const main = roots[0];
  if (main) {
    const work = [main];
    while (work.length) {
      const sp = work.pop();
      sp.critical = true;
      let cursor = sp.e;
      const byEnd = [...sp.children].sort((a, b) => b.e - a.e);
      for (const c of byEnd) {
        if (c.e <= cursor + 1 && c.s >= sp.s - 1) {
          work.push(c);
          cursor = c.s;
        }
      }
    }
  }

  let cause = null;
  for (const sp of order) {
    if (sp.error && (!cause || sp.depth > cause.depth || (sp.depth === cause.depth && sp.s > cause.s))) cause = sp;
  }
  if (cause) cause.rootCause = true;

  const findings = (data.findings || []).map((f, i) => {
    const here = (f.spanIds || []).filter((id) => byId.has(id)).map((id) => byId.get(id));
    const others = (f.traceIds || []).filter((t) => t !== data.traceId);
    const otherSpan = (f.spanIds || []).find((id) => !byId.has(id)) || '';
    const finding = { ...f, index: i, here, others, otherSpan };
    for (const sp of here) sp.findings.push(finding);
    if (here.length && others.length) here[0].inferred.push(finding);
    return finding;
  });

  const services = [...new Set(spans.map((sp) => sp.service))].sort();
  return {
    traceId: data.traceId, spans, byId, roots, order, skew, findings, cause, services,
    min: span0, total, start: base,
  };
}

function flatten(model, collapsed) {
  const rows = [];
  const stack = [...model.roots].reverse();
  while (stack.length) {
    const sp = stack.pop();
    rows.push({ type: 'span', span: sp });
    for (const f of sp.inferred) for (const t of f.others) rows.push({ type: 'inferred', span: sp, finding: f, trace: t });
    if (!collapsed.has(sp.id)) for (let i = sp.children.length - 1; i >= 0; i--) stack.push(sp.children[i]);
  }
  return rows;
}

function rowView(model, state, row, index, toggle, select) {
  const sp = row.span;
  const indent = Math.min(sp.depth, 40) * 12;
  const left = (100 * (sp.s - model.min)) / model.total;
  const width = Math.max(0.15, (100 * (sp.e - sp.s)) / model.total);
  if (row.type === 'inferred') {
    const f = row.finding;
    const href = `#/trace/${encodeURIComponent(row.trace)}${f.otherSpan ? '?span=' + encodeURIComponent(f.otherSpan) : ''}`;
    return h('div', { className: 'wf-row inferred', style: { top: index * ROW + 'px' }, dataset: { trace: row.trace } },
      h('div', { className: 'wf-label', style: { paddingLeft: indent + 18 + 'px' } },
        h('a', { href, className: 'inferred-link', title: f.hint },
          `⇢ ${f.kind}: the other half is trace ${shortId(row.trace)} (${f.hop.to})`)),
      h('div', { className: 'wf-track' },
        h('div', { className: 'wf-inferred-line', style: { left: left + width + '%' } })));
  }
  const classes = ['wf-row'];
  if (sp.critical) classes.push('critical');
  if (sp.error) classes.push('error');
  if (sp.rootCause) classes.push('root-cause');
  if (sp.findings.length) classes.push('has-finding');
  if (state.selected === sp.id) classes.push('selected');
  const color = serviceColor(sp.service);
  return h('div', {
    className: classes.join(' '),
    style: { top: index * ROW + 'px' },
    dataset: { spanId: sp.id },
    onclick: () => select(sp.id, false),
  },
  h('div', { className: 'wf-label', style: { paddingLeft: indent + 'px' } },
    sp.children.length
      ? h('button', {
        type: 'button',
        className: 'toggle',
        title: state.collapsed.has(sp.id) ? `expand ${sp.children.length}` : 'collapse',
        onclick: (e) => { e.stopPropagation(); toggle(sp.id); },
      }, state.collapsed.has(sp.id) ? '▸' : '▾')
      : h('span', { className: 'toggle-space' }),
    h('span', { className: 'dot', style: { background: color } }),
    h('span', { className: 'svc' }, sp.service),
    ' ',
    h('span', { className: 'name' }, sp.name),
    state.collapsed.has(sp.id) ? h('span', { className: 'muted' }, ` (+${countBelow(sp)})`) : null,
    sp.orphan ? badge('parent missing', 'warn', 'parent ' + sp.parentId + ' never arrived') : null,
    sp.rootCause ? badge('root cause', 'err') : null,
    sp.findings.map((f) => badge('⚠ ' + f.kind, 'finding', f.hint))),
  h('div', { className: 'wf-track' },
    h('div', { className: 'wf-bar', style: { left: left + '%', width: width + '%', background: color } }),
    h('span', { className: 'wf-dur', style: { left: Math.min(left + width, 90) + '%' } }, formatDuration(sp.durationNs))));
}

function countBelow(sp) {
  let n = 0;
  const stack = [...sp.children];
  while (stack.length) {
    const c = stack.pop();
    n++;
    stack.push(...c.children);
  }
  return n;
}

function header(model) {
  const root = model.roots[0];
  const errors = model.spans.filter((sp) => sp.error).length;
  return h('div', { className: 'trace-head' },
    h('h2', null, root ? h('span', null, root.service, ': ', root.name) : 'Trace'),
    h('div', { className: 'trace-meta' },
      h('code', { className: 'trace-id' }, model.traceId), ' ',
      badge(plural(model.spans.length, 'span')), ' ',
      badge(formatDuration(model.total)), ' ',
      errors ? badge(plural(errors, 'error'), 'err') : null, ' ',
      model.findings.length ? badge(plural(model.findings.length, 'finding'), 'finding') : null, ' ',
      h('span', { className: 'muted' }, model.spans.length ? formatTime(model.start.toString()) : ''),
      ' ', h('a', { href: `/api/v1/traces/${encodeURIComponent(model.traceId)}`, target: '_blank', onclick: openJsonWithToken }, 'JSON')),
    h('div', { className: 'services' }, model.services.map(serviceChip)));
}

function skewNote(skew) {
  const byService = new Map();
  for (const k of skew) {
    const e = byService.get(k.span.service) || { n: 0, delta: k.delta };
    e.n++;
    byService.set(k.span.service, e);
  }
  return h('p', { className: 'note skew-note', id: 'skew-note' },
    'Clock skew corrected in the drawing: ',
    [...byService.entries()].map(([svc, e], i) => [i ? '; ' : '', h('strong', null, svc),
      ` shifted ${e.delta > 0 ? '+' : '−'}${formatDuration(Math.abs(e.delta))} to sit inside its caller's span`,
      e.n > 1 ? ` (${e.n} hops)` : '']),
    '. Span details show the reported times.');
}

function findingList(model, show) {
  return h('section', { className: 'findings', id: 'trace-findings' },
    h('h3', null, 'Broken hops in this trace'),
    model.findings.map((f) => h('div', { className: 'finding-card', dataset: { kind: f.kind } },
      h('div', null,
        badge(f.kind, 'finding'), ' ',
        h('strong', { className: 'hop' }, `${f.hop.from} → ${f.hop.to}`), ' ',
        h('span', { className: 'muted' }, `over ${f.hop.transport}`), ' · blame: ',
        h('strong', { className: 'blame' }, f.blame)),
      h('div', { className: 'hint' }, f.hint),
      f.evidence ? h('div', { className: 'evidence muted' }, 'evidence: ', f.evidence) : null,
      h('div', { className: 'finding-actions' },
        f.here.map((sp) => h('button', { type: 'button', onclick: () => show(sp.id) }, `show ${sp.service}: ${sp.name}`)),
        f.others.map((t) => h('a', {
          className: 'other-half',
          href: `#/trace/${encodeURIComponent(t)}${f.otherSpan ? '?span=' + encodeURIComponent(f.otherSpan) : ''}`,
        }, `open the other half ⇢ ${shortId(t)}`))))));
}

function spanDetails(model, sp) {
  const raw = sp.raw;
  return h('div', { className: 'span-details', dataset: { spanId: sp.id } },
    h('h3', null, h('span', { className: 'dot', style: { background: serviceColor(sp.service) } }), sp.service),
    h('div', { className: 'detail-name' }, sp.name),
    h('table', { className: 'kv' },
      h('tr', null, h('th', null, 'kind'), h('td', null, sp.kind)),
      h('tr', null, h('th', null, 'span id'), h('td', null, sp.id)),
      h('tr', null, h('th', null, 'parent'), h('td', null, sp.parentId || '(root)', sp.orphan ? ' — never arrived' : '')),
      h('tr', null, h('th', null, 'start'), h('td', null, formatTime(raw.startTimeUnixNano),
        sp.shiftNs ? ` (drawn ${sp.shiftNs > 0 ? '+' : '−'}${formatDuration(Math.abs(sp.shiftNs))} for clock skew)` : '')),
      h('tr', null, h('th', null, 'duration'), h('td', null, formatDuration(sp.durationNs))),
      h('tr', null, h('th', null, 'status'), h('td', null, raw.status.code, raw.status.message ? ': ' + raw.status.message : '')),
      sp.critical ? h('tr', null, h('th', null, 'critical path'), h('td', null, 'yes')) : null),
    sp.findings.map((f) => h('div', { className: 'finding-card' },
      badge(f.kind, 'finding'), ' ', `${f.hop.from} → ${f.hop.to} (${f.hop.transport}), blame: ${f.blame}`,
      h('div', { className: 'hint' }, f.hint))),
    h('h4', null, 'Attributes'), attrTable(raw.attributes),
    h('h4', null, 'Resource'), attrTable(raw.resource && raw.resource.attributes),
    raw.scope && raw.scope.name ? h('p', { className: 'muted' }, 'scope: ', raw.scope.name, ' ', raw.scope.version || '') : null,
    h('h4', null, `Events (${raw.events.length})`),
    raw.events.length === 0 ? h('p', { className: 'muted' }, 'none') : h('ul', { className: 'events' },
      raw.events.map((e) => h('li', null,
        h('span', { className: 'muted' }, '+' + formatDuration(Number(BigInt(e.timeUnixNano) - BigInt(raw.startTimeUnixNano))), ' '),
        h('strong', null, e.name), attrTable(e.attributes)))),
    h('h4', null, `Links (${raw.links.length})`),
    raw.links.length === 0 ? h('p', { className: 'muted' }, 'none') : h('ul', { className: 'links' },
      raw.links.map((l) => h('li', null,
        h('a', {
          className: 'span-link',
          href: l.traceId === model.traceId
            ? `#/trace/${encodeURIComponent(l.traceId)}?span=${encodeURIComponent(l.spanId)}&r=${Date.now() % 1000}`
            : `#/trace/${encodeURIComponent(l.traceId)}?span=${encodeURIComponent(l.spanId)}`,
        }, `trace ${shortId(l.traceId)} span ${l.spanId}`),
        l.attributes.length ? attrTable(l.attributes) : null))));
}

function ticks(model) {
  const row = h('div', { className: 'wf-ticks' }, h('div', { className: 'wf-label' }, 'service · span'));
  const track = h('div', { className: 'wf-track' });
  for (let i = 0; i <= 4; i++) {
    track.appendChild(h('span', { className: 'tick', style: { left: i * 25 + '%' } }, formatDuration(Math.round((model.total * i) / 4))));
  }
  row.appendChild(track);
  return row;
}


/** With a token a new tab cannot send it: fetch with it here and show the JSON from a blob. */
function openJsonWithToken(e) {
  if (!hasToken()) return;
  e.preventDefault();
  const tab = window.open('', '_blank');
  get(e.currentTarget.getAttribute('href')).then((body) => {
    if (!tab) return;
    tab.location = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
  }, () => tab && tab.close());
}
