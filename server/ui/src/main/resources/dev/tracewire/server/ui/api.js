import { h } from './dom.js';

// sessionStorage: the token leaves with the tab, and is never written to the page or the console
const TOKEN_KEY = 'tracewire.token';
let asking = null; // one form answers every call that met a 401 meanwhile

/** Reads the query API; errors carry the server's message. Asks for the token on a 401. */
export async function get(path, params) {
  const url = new URL(path, location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '' && v !== false) url.searchParams.set(k, String(v));
    }
  }
  let res;
  for (;;) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    res = await fetch(url, { headers });
    if (res.status !== 401) break;
    // another call may have stored a newer token meanwhile; only the one sent was refused
    if (token && sessionStorage.getItem(TOKEN_KEY) === token) sessionStorage.removeItem(TOKEN_KEY);
    if (!sessionStorage.getItem(TOKEN_KEY)) await askToken(Boolean(token));
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    const err = new Error((body && body.error) || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

/** Whether API calls carry a token, so links that open the API directly would not. */
export function hasToken() {
  return Boolean(sessionStorage.getItem(TOKEN_KEY));
}

/** Shows the token form (once, however many calls wait) and resolves when a token is entered. */
function askToken(refused) {
  if (asking) return asking;
  asking = new Promise((resolve) => {
    const input = h('input', {
      type: 'password', name: 'token', id: 'token-input', autocomplete: 'off', required: true,
    });
    const form = h('form', { className: 'token-form', id: 'token-form' },
      h('h2', null, 'This Tracewire server needs a token'),
      h('p', { className: 'muted' }, 'It was started with --token (or TRACEWIRE_TOKEN). Enter that token; it is kept in this tab only.'),
      refused ? h('p', { className: 'error', id: 'token-error' }, 'That token was not accepted. Check it and enter it again.') : null,
      h('label', null, 'Token ', input),
      h('button', { type: 'submit', id: 'token-submit' }, 'Continue'));
    const overlay = h('div', { className: 'token-overlay', id: 'token-overlay' }, form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      sessionStorage.setItem(TOKEN_KEY, token);
      input.value = '';
      overlay.remove();
      asking = null;
      resolve();
    });
    document.body.appendChild(overlay);
    input.focus();
  });
  return asking;
}

/** Epoch millis of now minus a lookback like "1h"; undefined for "all". */
export function since(lookback) {
  const m = /^(\d+)([mhd])$/.exec(lookback || '');
  if (!m) return undefined;
  const unit = { m: 60e3, h: 3600e3, d: 86400e3 }[m[2]];
  return Date.now() - Number(m[1]) * unit;
}

export const LOOKBACKS = [
  ['15m', 'last 15 minutes'],
  ['1h', 'last hour'],
  ['6h', 'last 6 hours'],
  ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'],
  ['all', 'all time'],
];
