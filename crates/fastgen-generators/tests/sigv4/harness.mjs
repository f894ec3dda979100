// Runs the request cases of cases.json through sigv4.ts (compiled by check.sh into .build/out):
// each one is signed by signingFetch with its fixed credentials and time, captured by a
// stand-in fetch (the exact URL, method, headers and body bytes handed to fetch), then sent
// for real by Node's fetch to a local HTTP server on 127.0.0.1, which records what arrived.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { signingFetch } from './.build/out/sigv4.js';

export const suite = JSON.parse(readFileSync(new URL('./cases.json', import.meta.url), 'utf8'));

const bytesOf = (b64) => new Uint8Array(Buffer.from(b64, 'base64'));
export const sha256hex = (bytes) => createHash('sha256').update(bytes).digest('hex');
const b64 = (bytes) => Buffer.from(bytes).toString('base64');

/** The body a case describes, as the caller would pass it to fetch. */
export function bodyOf(spec) {
  if (!spec) return undefined;
  switch (spec.kind) {
    case 'text':
      return spec.text;
    case 'form':
      return new URLSearchParams(spec.pairs);
    case 'multipart': {
      const form = new FormData();
      for (const part of spec.parts) {
        if (!part.file) form.append(part.name, part.value);
        else if (part.file.filename == null) form.append(part.name, new Blob([bytesOf(part.file.base64)], { type: part.file.type }));
        else form.append(part.name, new File([bytesOf(part.file.base64)], part.file.filename, { type: part.file.type }));
      }
      return form;
    }
    case 'bytes': {
      const bytes = bytesOf(spec.base64);
      switch (spec.as) {
        case 'Uint8Array':
          return bytes;
        case 'ArrayBuffer':
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        case 'DataView': {
          // A view into the middle of a larger buffer: only its bytes are the body.
          const big = new Uint8Array(bytes.length + 20).fill(0xee);
          big.set(bytes, 7);
          return new DataView(big.buffer, 7, bytes.length);
        }
        case 'Blob':
          return new Blob([bytes], { type: spec.type ?? '' });
        case 'stream': {
          const n = spec.chunks ?? 2;
          const size = Math.ceil(bytes.length / n);
          let i = 0;
          return new ReadableStream({
            pull(c) {
              if (i >= bytes.length) c.close();
              else c.enqueue(bytes.slice(i, (i += size)));
            },
          });
        }
      }
    }
  }
  throw new Error(`unknown body ${JSON.stringify(spec)}`);
}

/** Headers as a plain object with lower-case names. */
export const plain = (headers) => {
  const o = {};
  new Headers(headers).forEach((v, k) => (o[k] = v));
  return o;
};

/** A local HTTP server recording every request it gets (raw target, headers, body bytes). */
export async function recorder() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method, target: req.url, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { got, origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Signs case `c`: returns what signingFetch handed to fetch, and (with `server`) what the local
 * server received when that exact request was sent to it.
 */
export async function runCase(c, server) {
  const d = suite.defaults;
  const creds = suite.credentials[c.credentials ?? d.credentials];
  let sent;
  const options = {
    region: c.region ?? d.region,
    credentials: async () => ({ ...creds }),
    now: () => new Date(c.time ?? d.time),
    fetch: async (url, init) => {
      sent = { url, init };
      if (!server) return new Response(null, { status: 204 });
      // The same request to the local server: only the origin differs.
      const u = new URL(url);
      return fetch(server.origin + u.pathname + u.search, init);
    },
  };
  if (c.service) options.service = c.service;
  const f = signingFetch(options);
  const init = { method: c.method, headers: c.headers ?? {} };
  const body = bodyOf(c.body);
  if (body !== undefined) init.body = body;
  if (body instanceof ReadableStream) init.duplex = 'half';
  const response = c.input == 'request' ? await f(new Request(c.url, init)) : await f(c.url, init);
  if (response.status != 204) throw new Error(`${c.name}: HTTP ${response.status}`);
  const bytes = sent.init.body === undefined ? new Uint8Array(0) : new Uint8Array(sent.init.body);
  const record = {
    name: c.name,
    method: sent.init.method,
    url: sent.url,
    headers: plain(sent.init.headers),
    hasBody: sent.init.body !== undefined,
    body: b64(bytes),
    bodySha256: sha256hex(bytes),
  };
  if (server) {
    const r = server.got.at(-1);
    record.received = { method: r.method, target: r.target, headers: r.headers, body: b64(r.body) };
  }
  return record;
}

/** Every case, signed and sent to a local server. */
export async function runAll() {
  const server = await recorder();
  try {
    const out = [];
    for (const c of suite.cases) out.push(await runCase(c, server));
    return out;
  } finally {
    await server.close();
  }
}
