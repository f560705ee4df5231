/** Reads the query API; errors carry the server's message. */
export async function get(path, params) {
  const url = new URL(path, location.origin);
  if (params) {
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== '' && v !== false) url.searchParams.set(k, String(v));
    }
  }
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
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
