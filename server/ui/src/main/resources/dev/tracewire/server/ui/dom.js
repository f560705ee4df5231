// Every string that reaches the page from span data goes through text nodes or attribute values set
// here; nothing in the UI parses a string as markup (UiServiceTest checks every script for sinks).

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an element; props are DOM properties (className, onclick, title, dataset, style). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** Creates an SVG element; attrs are set with setAttribute under fixed names only. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'onclick') el.addEventListener('click', v);
      else if (k === 'text') el.textContent = String(v);
      else if (v !== undefined && v !== null) el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  return el;
}

function setProps(el, props) {
  if (!props) return;
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'style') Object.assign(el.style, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'innerHTML' || k === 'outerHTML') throw new Error('refused: ' + k);
    else el[k] = v;
  }
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Twelve hues far enough apart to tell services apart at a glance; the hash picks one.
const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948',
  '#9c755f', '#e15759', '#2f8f9d', '#a0cbe8', '#8cd17d', '#ff9da7',
];

/** A stable colour per service name. */
export function serviceColor(name) {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return PALETTE[(hash >>> 0) % PALETTE.length];
}

/** "1 error", "2 errors". */
export function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function serviceChip(name) {
  return h('span', { className: 'chip', title: name },
    h('span', { className: 'dot', style: { background: serviceColor(name) } }), name);
}

export function formatDuration(nanos) {
  const n = Number(nanos);
  if (!isFinite(n)) return '';
  if (n < 1e3) return n + 'ns';
  if (n < 1e6) return (n / 1e3).toFixed(n < 1e4 ? 2 : 1) + 'µs';
  if (n < 1e9) return (n / 1e6).toFixed(n < 1e7 ? 2 : 1) + 'ms';
  if (n < 6e10) return (n / 1e9).toFixed(2) + 's';
  return (n / 6e10).toFixed(1) + 'min';
}

export function formatTime(epochNanos) {
  const ms = Number(BigInt(epochNanos) / 1000000n);
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '';
}

/** An OTLP AnyValue as display text. */
export function anyValue(v) {
  if (!v || typeof v !== 'object') return String(v ?? '');
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return String(v.intValue);
  if ('doubleValue' in v) return String(v.doubleValue);
  if ('boolValue' in v) return String(v.boolValue);
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) return '[' + (v.arrayValue.values || []).map(anyValue).join(', ') + ']';
  if ('kvlistValue' in v) {
    return '{' + (v.kvlistValue.values || []).map((kv) => kv.key + ': ' + anyValue(kv.value)).join(', ') + '}';
  }
  return '';
}

export function attrTable(attributes) {
  if (!attributes || attributes.length === 0) return h('p', { className: 'muted' }, 'none');
  return h('table', { className: 'kv' },
    attributes.map((a) => h('tr', null, h('th', null, a.key), h('td', null, anyValue(a.value)))));
}

export function badge(text, kind, title) {
  return h('span', { className: 'badge ' + (kind || ''), title: title || '' }, text);
}
