import { clear, h } from './dom.js';
import { renderSearch } from './search.js';
import { renderTrace } from './trace.js';
import { renderMap } from './map.js';
import { renderLostHops } from './losthops.js';
import { renderStart } from './start.js';

const views = {
  search: renderSearch,
  trace: renderTrace,
  map: renderMap,
  lost: renderLostHops,
  start: renderStart,
};

/** "#/trace/abc?span=1" -> { name: 'trace', arg: 'abc', params: URLSearchParams }. */
export function parseRoute(hash) {
  const raw = (hash || '').replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const [name, ...rest] = path.split('/');
  return { name: views[name] ? name : 'search', arg: rest.map(decodeURIComponent).join('/'), params };
}

let generation = 0;

async function route() {
  const r = parseRoute(location.hash);
  const mine = ++generation;
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.dataset.view === r.name || (r.name === 'trace' && a.dataset.view === 'search'));
  }
  const view = document.getElementById('view');
  const next = h('div', { className: 'view view-' + r.name });
  document.body.classList.add('loading');
  try {
    // a view renders into a detached node; a newer navigation wins over a slower older one
    await views[r.name](next, r.arg, r.params, () => mine === generation);
  } catch (e) {
    next.appendChild(h('p', { className: 'error' }, 'Failed: ' + e.message));
  }
  if (mine !== generation) return;
  document.body.classList.remove('loading');
  clear(view).appendChild(next);
  view.dataset.ready = r.name;
  view.dataset.route = location.hash;
  if (next.onAttached) next.onAttached();
  document.dispatchEvent(new CustomEvent('tracewire:rendered', { detail: r.name }));
}

window.addEventListener('hashchange', route);
route();
