import { h } from './dom.js';

/** The empty state: where to send spans, a curl that works as-is, and --demo. */
export async function renderStart(root) {
  root.appendChild(startPanel());
}

export function startPanel() {
  const host = location.hostname || '127.0.0.1';
  const now = BigInt(Date.now()) * 1000000n;
  const traceId = randomHex(16);
  const span = {
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hello' } }] },
      scopeSpans: [{
        spans: [{
          traceId, spanId: randomHex(8), name: 'GET /hello', kind: 2,
          startTimeUnixNano: String(now - 25000000n), endTimeUnixNano: String(now),
        }],
      }],
    }],
  };
  const otlpCurl = `curl -s http://${host}:4318/v1/traces -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify(span)}'`;
  const zipkinSpan = [{
    traceId: randomHex(16), id: randomHex(8), name: 'get /hello', kind: 'SERVER',
    timestamp: Date.now() * 1000 - 25000, duration: 25000, localEndpoint: { serviceName: 'hello' },
  }];
  const zipkinCurl = `curl -s http://${host}:9411/api/v2/spans -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify(zipkinSpan)}'`;
  return h('section', { className: 'empty', id: 'empty-state' },
    h('h2', null, 'No spans yet. Send some:'),
    h('table', { className: 'kv endpoints' },
      h('tr', null, h('th', null, 'OTLP/HTTP'), h('td', null, h('code', null, `http://${host}:4318/v1/traces`), ' (protobuf or JSON)')),
      h('tr', null, h('th', null, 'OTLP/gRPC'), h('td', null, h('code', null, `${host}:4317`))),
      h('tr', null, h('th', null, 'Zipkin v2'), h('td', null, h('code', null, `http://${host}:9411/api/v2/spans`)))),
    h('p', { className: 'muted' }, 'These are the default ports; --otlp-http-port, --otlp-grpc-port and --zipkin-port change them.'),
    h('h3', null, 'Any OpenTelemetry SDK or javaagent'),
    copyable(`export OTEL_EXPORTER_OTLP_ENDPOINT=http://${host}:4318`),
    h('h3', null, 'One span with curl (OTLP JSON)'),
    copyable(otlpCurl),
    h('h3', null, 'One span with curl (Zipkin JSON)'),
    copyable(zipkinCurl),
    h('h3', null, 'Or watch simulated traffic with injected faults'),
    copyable('./tracewire server --demo'),
    h('p', null, 'Then reload this page. ', h('a', { href: '#/search' }, 'Search'), ' shows traces as they settle.'));
}

function copyable(text) {
  const pre = h('pre', { className: 'copy' }, text);
  const button = h('button', {
    type: 'button',
    className: 'copy-button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
      } catch (e) {
        const range = document.createRange();
        range.selectNodeContents(pre);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        button.textContent = 'Selected: press Ctrl+C';
      }
    },
  }, 'Copy');
  return h('div', { className: 'copy-block' }, button, pre);
}

function randomHex(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, '0')).join('');
}
