import { get, since, LOOKBACKS } from './api.js';
import { badge, clear, formatDuration, formatTime, h, serviceChip, shortId } from './dom.js';
import { startPanel } from './start.js';

const PAGE = 50;

/** Search: the form state lives in the URL, so a search can be shared and the back button works. */
export async function renderSearch(root, _arg, params) {
  const services = (await get('/api/v1/services')).services || [];
  if (services.length === 0) {
    root.appendChild(startPanel());
    return;
  }
  const p = (k, d) => params.get(k) ?? d;
  const service = select('service', [['', 'any service'], ...services.map((x) => [x, x])], p('service', ''));
  const operation = select('operation', [['', 'any operation']], '');
  const tags = h('input', { name: 'tags', placeholder: 'http.route=/charge error=true', value: p('tags', '') });
  const minDuration = h('input', { name: 'minDuration', placeholder: '100ms', size: 7, value: p('minDuration', '') });
  const maxDuration = h('input', { name: 'maxDuration', placeholder: '2s', size: 7, value: p('maxDuration', '') });
  const lookback = select('lookback', LOOKBACKS, p('lookback', 'all'));
  const limit = select('limit', [['20', '20'], ['100', '100'], ['500', '500'], ['1000', '1000']], p('limit', '100'));
  const errorsOnly = h('input', { type: 'checkbox', name: 'errors', checked: p('errors', '') === 'true' });
  const withFindings = h('input', { type: 'checkbox', name: 'withFindings', checked: p('withFindings', '') === 'true' });

  async function loadOperations() {
    clear(operation).appendChild(h('option', { value: '' }, 'any operation'));
    if (!service.value) return;
    const ops = (await get(`/api/v1/services/${encodeURIComponent(service.value)}/operations`)).operations || [];
    const names = [...new Set(ops.map((o) => o.name))].sort();
    for (const n of names) operation.appendChild(h('option', { value: n }, n));
    operation.value = p('operation', '');
  }
  service.addEventListener('change', () => loadOperations());
  await loadOperations();

  const form = h('form', {
    className: 'search-form',
    id: 'search-form',
    onsubmit: (e) => {
      e.preventDefault();
      const q = new URLSearchParams();
      for (const [k, el] of Object.entries({ service, operation, tags, minDuration, maxDuration, lookback, limit })) {
        if (el.value) q.set(k, el.value);
      }
      if (errorsOnly.checked) q.set('errors', 'true');
      if (withFindings.checked) q.set('withFindings', 'true');
      q.set('run', String(Date.now() % 100000));
      location.hash = '#/search?' + q.toString();
    },
  },
  field('Service', service), field('Operation', operation), field('Tags', tags),
  field('Duration', h('span', null, minDuration, ' – ', maxDuration)), field('Time', lookback),
  field('Limit', limit),
  h('label', { className: 'check' }, errorsOnly, ' errors only'),
  h('label', { className: 'check' }, withFindings, ' only traces with findings'),
  h('button', { type: 'submit', id: 'search-button' }, 'Find traces'));
  root.appendChild(form);

  const results = h('div', { className: 'results', id: 'search-results' });
  root.appendChild(results);
  const query = {
    service: p('service'),
    operation: p('operation'),
    tags: p('tags') ? p('tags').trim().split(/\s+/).join(',') : undefined,
    minDuration: p('minDuration'),
    maxDuration: p('maxDuration'),
    start: since(p('lookback', 'all')),
    limit: p('limit', '100'),
    withFindings: p('withFindings') === 'true' ? 'true' : undefined,
  };
  const started = performance.now();
  let traces;
  try {
    traces = (await get('/api/v1/traces', query)).traces || [];
  } catch (e) {
    results.appendChild(h('p', { className: 'error' }, e.message));
    return;
  }
  // the API has no error filter: "errors only" narrows the fetched page
  if (p('errors') === 'true') traces = traces.filter((t) => t.errorCount > 0);
  results.dataset.count = String(traces.length);
  results.dataset.millis = String(Math.round(performance.now() - started));
  renderResults(results, traces, 0);
}

function renderResults(results, traces, page) {
  clear(results);
  const pages = Math.max(1, Math.ceil(traces.length / PAGE));
  const shown = traces.slice(page * PAGE, page * PAGE + PAGE);
  const maxDuration = Math.max(1, ...traces.map((t) => Number(t.durationNanos)));
  results.appendChild(h('div', { className: 'results-head' },
    h('strong', null, `${traces.length} trace${traces.length === 1 ? '' : 's'}`),
    pages > 1 ? pager(page, pages, (n) => renderResults(results, traces, n)) : null));
  if (traces.length === 0) {
    results.appendChild(h('p', { className: 'muted' }, 'No traces match. Widen the time range or remove a criterion.'));
    return;
  }
  const list = h('ol', { className: 'trace-list' });
  for (const t of shown) {
    const href = '#/trace/' + encodeURIComponent(t.traceId);
    list.appendChild(h('li', { className: 'trace-row', dataset: { traceId: t.traceId, findings: String(t.findingCount || 0) } },
      h('a', { href, className: 'trace-title' },
        h('span', { className: 'root-service' }, t.rootServiceName), ': ', h('span', { className: 'root-name' }, t.rootName),
        h('span', { className: 'trace-id' }, ' ' + shortId(t.traceId))),
      h('div', { className: 'trace-badges' },
        badge(`${t.spanCount} span${t.spanCount === 1 ? '' : 's'}`),
        t.errorCount > 0 ? badge(`${t.errorCount} error${t.errorCount === 1 ? '' : 's'}`, 'err') : null,
        t.findingCount > 0 ? badge(`${t.findingCount} finding${t.findingCount === 1 ? '' : 's'}`, 'finding') : null,
        h('span', { className: 'muted' }, formatTime(t.startTimeUnixNano))),
      h('div', { className: 'duration' },
        h('span', { className: 'duration-bar', style: { width: (100 * Number(t.durationNanos) / maxDuration).toFixed(1) + '%' } }),
        h('span', null, formatDuration(t.durationNanos))),
      h('div', { className: 'services' }, (t.services || []).map(serviceChip))));
  }
  results.appendChild(list);
}

export function pager(page, pages, go) {
  return h('span', { className: 'pager' },
    h('button', { type: 'button', disabled: page === 0, onclick: () => go(page - 1) }, '‹ prev'),
    ` page ${page + 1} of ${pages} `,
    h('button', { type: 'button', disabled: page >= pages - 1, onclick: () => go(page + 1) }, 'next ›'));
}

function select(name, options, value) {
  const el = h('select', { name }, options.map(([v, label]) => h('option', { value: v }, label)));
  el.value = value;
  return el;
}

function field(label, control) {
  return h('label', { className: 'field' }, h('span', null, label), control);
}
