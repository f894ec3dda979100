// ---- AWS Signature Version 4 for fetch: no dependencies; WebCrypto (crypto.subtle) for
// SHA-256 and HMAC-SHA256. Browsers (a secure context: https or localhost, where
// crypto.subtle exists) and Node.js 20+.
//
//   const credentials = cachedCredentials(() => fetchTemporaryCredentials());
//   const fetch = signingFetch({ region: 'eu-west-1', credentials });
//   await fetch('https://api.example.com/prod/items?tag=a&tag=b');
//   // the generated client: new Client({ url, fetch })
//
// What goes on the wire, and what is signed:
// - The URL is sent in RFC 3986 normal form: each path segment and each query name and value
//   is percent-decoded and encoded again, leaving only A-Z a-z 0-9 - . _ ~ as they are
//   (`+` in the query is a space, as URLSearchParams writes it; a literal plus is %2B). The
//   server reads the same path and parameters, and whichever way it canonicalises the URL
//   (the wire form encoded once more, or decoded and encoded twice) it gets what was signed.
// - Canonical URI: the wire path with every segment URI-encoded once more (SigV4 encodes the
//   path segments twice for every service but S3, so `a b` is `a%2520b` and `%2F` inside a
//   segment is `%252F`), empty segments removed (`//` counts as `/`) as AWS normalises paths.
// - Canonical query: the encoded pairs sorted by name, then by value; repeated names kept.
// - Signed headers: host, x-amz-date, x-amz-security-token (with a session token),
//   content-type when there is one, and any other x-amz-* header the caller sets. Not
//   x-amz-content-sha256: API Gateway hashes the body itself, and the header would have to be
//   allowed by the API's CORS configuration too.
// - The payload hash is the SHA-256 of the exact bytes sent: every body is turned into bytes
//   first (FormData into a multipart body with its own boundary; a ReadableStream is read to
//   the end, because API Gateway does not accept UNSIGNED-PAYLOAD).
// - The region and service are always the ones given (never guessed from the host), so a
//   custom domain name works. Nothing is ever retried.

/** AWS credentials: long-term keys, or temporary ones with their session token. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The session token of temporary credentials (STS, Cognito identity pools). */
  sessionToken?: string | undefined;
  /** When temporary credentials expire (cachedCredentials refreshes them before). */
  expiration?: Date | undefined;
}

/** How signingFetch signs. */
export interface SigningFetchOptions {
  /** The API's region, e.g. 'eu-west-1' (also for a custom domain name). */
  region: string;
  /** The signing name of the service (default: 'execute-api', API Gateway). */
  service?: string;
  /** Called for every request; cache with cachedCredentials. */
  credentials: () => Promise<Credentials>;
  /** The fetch that sends the signed request (default: the global one). */
  fetch?: typeof fetch;
  /** The signing time (default: the system clock), e.g. corrected for a skewed clock. */
  now?: () => Date;
}

const utf8 = new TextEncoder();

/** RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~ */
const isUnreserved = (b: number): boolean =>
  (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) ||
  b == 0x2d || b == 0x2e || b == 0x5f || b == 0x7e;

/** SigV4's UriEncode of bytes: unreserved ones as they are, every other one as %XX (upper case). */
function uriEncode(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes)
    s += isUnreserved(b) ? String.fromCharCode(b) : `%${b < 16 ? '0' : ''}${b.toString(16).toUpperCase()}`;
  return s;
}

/**
 * The bytes a URL component stands for: %XX escapes decoded (a stray `%` is itself), the rest
 * as UTF-8; `+` as a space when `plus`.
 */
function percentDecode(s: string, plus: boolean): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c == 0x25 && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else if (c == 0x2b && plus) {
      out.push(0x20);
      i++;
    } else {
      let j = i + 1;
      while (j < s.length && s[j] != '%' && s[j] != '+') j++;
      for (const b of utf8.encode(s.slice(i, j))) out.push(b);
      i = j;
    }
  }
  return new Uint8Array(out);
}

/** A URL component in RFC 3986 normal form. */
const normalise = (s: string, plus: boolean): string => uriEncode(percentDecode(s, plus));

const hex = (buffer: ArrayBuffer): string => {
  let s = '';
  for (const b of new Uint8Array(buffer)) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
};

const sha256 = async (data: Uint8Array<ArrayBuffer>): Promise<string> =>
  hex(await crypto.subtle.digest('SHA-256', data));

const hmac = async (key: Uint8Array<ArrayBuffer>, message: string): Promise<Uint8Array<ArrayBuffer>> => {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, utf8.encode(message)));
};

const concat = (chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> => {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) {
    out.set(c, n);
    n += c.byteLength;
  }
  return out;
};

/** A multipart/form-data name or filename: CR, LF and `"` percent-encoded, as browsers write them. */
const quoteName = (s: string): string => s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');

/** Line breaks as CRLF (names and text values of a multipart body, as browsers write them). */
const crlf = (s: string): string => s.replace(/\r\n|\r|\n/g, '\r\n');

/**
 * `form` as a multipart/form-data body (RFC 7578, written as browsers write it) with a random
 * boundary: the exact bytes to send and their content type. Files keep their name and type
 * (application/octet-stream when they have none).
 */
export async function encodeMultipart(form: FormData): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const boundary = `----sigv4-${hex(crypto.getRandomValues(new Uint8Array(16)).buffer)}`;
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => entries.push([name, value]));
  const chunks: Uint8Array[] = [];
  for (const [name, value] of entries) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${quoteName(crlf(name))}"`;
    if (typeof value == 'string') {
      chunks.push(utf8.encode(`${head}\r\n\r\n${crlf(value)}\r\n`));
    } else {
      head += `; filename="${quoteName(value.name)}"\r\n`;
      head += `Content-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`;
      chunks.push(utf8.encode(head), new Uint8Array(await value.arrayBuffer()), utf8.encode('\r\n'));
    }
  }
  chunks.push(utf8.encode(`--${boundary}--\r\n`));
  return { body: concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Every chunk of a stream of bytes, joined. */
async function readAll(stream: ReadableStream): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks);
    if (!(value instanceof Uint8Array)) {
      void reader.cancel();
      throw new TypeError('signingFetch: a ReadableStream body must yield Uint8Array chunks');
    }
    chunks.push(value);
  }
}

/**
 * The exact bytes of a body (copied: a later change to the caller's buffer changes nothing),
 * setting the content type fetch would have derived from it when the caller set none.
 */
async function bodyBytes(body: BodyInit, headers: Headers): Promise<Uint8Array<ArrayBuffer>> {
  const type = (t: string) => {
    if (t && !headers.has('content-type')) headers.set('content-type', t);
  };
  if (typeof body == 'string') {
    type('text/plain;charset=UTF-8');
    return utf8.encode(body);
  }
  if (body instanceof URLSearchParams) {
    type('application/x-www-form-urlencoded;charset=UTF-8');
    return utf8.encode(body.toString());
  }
  if (body instanceof FormData) {
    const { body: bytes, contentType } = await encodeMultipart(body);
    // The boundary is ours: a content type set for the FormData cannot name it.
    headers.set('content-type', contentType);
    return bytes;
  }
  if (body instanceof Blob) {
    type(body.type);
    return new Uint8Array(await body.arrayBuffer());
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice();
  if (body instanceof ReadableStream) return readAll(body);
  // Anything else fetch accepts (a Blob or buffer from another realm, say, which instanceof
  // does not recognise): the platform serialises it.
  const r = new Response(body);
  type(r.headers.get('content-type') ?? '');
  return new Uint8Array(await r.arrayBuffer());
}

/** A request's parts in the form they are sent and signed. */
interface Prepared {
  url: string;
  host: string;
  canonicalUri: string;
  canonicalQuery: string;
}

function prepareUrl(href: string): Prepared {
  const base = typeof location == 'undefined' ? undefined : location.href;
  const u = new URL(href, base);
  if (u.protocol != 'https:' && u.protocol != 'http:')
    throw new TypeError(`signingFetch: cannot sign a ${u.protocol} URL`);
  if (u.username || u.password) throw new TypeError('signingFetch: a URL with credentials cannot be fetched');
  // The URL parser has resolved `.` and `..` segments (plain or encoded) already.
  const segments = u.pathname.split('/').map((s) => normalise(s, false));
  const path = segments.join('/');
  const kept = segments.filter((s) => s != '');
  const canonicalUri = kept.length
    ? `/${kept.map((s) => uriEncode(utf8.encode(s))).join('/')}${path.endsWith('/') ? '/' : ''}`
    : '/';
  const pairs: [string, string][] = [];
  for (const p of u.search.slice(1).split('&')) {
    if (!p) continue;
    const eq = p.indexOf('=');
    pairs.push(eq < 0 ? [normalise(p, true), ''] : [normalise(p.slice(0, eq), true), normalise(p.slice(eq + 1), true)]);
  }
  const query = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  // By name, then by value: `a=2` before `a-b=1` (not the order of the joined strings).
  const sorted = pairs
    .slice()
    .sort(([k1, v1], [k2, v2]) => (k1 < k2 ? -1 : k1 > k2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0));
  return {
    url: `${u.origin}${path}${query ? `?${query}` : ''}`,
    host: u.host,
    canonicalUri,
    canonicalQuery: sorted.map(([k, v]) => `${k}=${v}`).join('&'),
  };
}

/** The fields of a Request that a new one made from its URL would otherwise lose. */
function requestInit(r: Request): RequestInit {
  const init: RequestInit = {
    cache: r.cache,
    credentials: r.credentials,
    integrity: r.integrity,
    keepalive: r.keepalive,
    redirect: r.redirect,
    referrer: r.referrer,
    referrerPolicy: r.referrerPolicy,
    signal: r.signal,
  };
  if (r.mode != 'navigate') init.mode = r.mode;
  return init;
}

/**
 * Signs one request: adds `x-amz-date`, `x-amz-security-token` (with a session token) and
 * `authorization` to `headers` (replacing any the caller set) and returns what to send.
 */
async function sign(
  method: string,
  href: string,
  headers: Headers,
  body: Uint8Array<ArrayBuffer> | undefined,
  credentials: Credentials,
  region: string,
  service: string,
  time: Date,
): Promise<string> {
  const { accessKeyId, secretAccessKey, sessionToken } = credentials;
  if (!accessKeyId || !secretAccessKey)
    throw new TypeError('signingFetch: the credentials have no accessKeyId or secretAccessKey');
  if (typeof crypto == 'undefined' || !crypto.subtle)
    throw new TypeError('signingFetch: no crypto.subtle (browsers have it in secure contexts only: https, localhost)');
  const p = prepareUrl(href);
  const amzDate = time.toISOString().replace(/\.\d+/, '').replace(/[-:]/g, '');
  const day = amzDate.slice(0, 8);
  headers.delete('authorization');
  headers.set('x-amz-date', amzDate);
  if (sessionToken) headers.set('x-amz-security-token', sessionToken);
  else headers.delete('x-amz-security-token');
  const signed: [string, string][] = [['host', p.host]];
  headers.forEach((value, name) => {
    // Headers hands out lower-case names, sorted, duplicates joined with ", ".
    if (name == 'content-type' || name.startsWith('x-amz-')) signed.push([name, value.trim().replace(/\s+/g, ' ')]);
  });
  signed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = signed.map(([name]) => name).join(';');
  const canonicalRequest = [
    method,
    p.canonicalUri,
    p.canonicalQuery,
    signed.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    await sha256(body ?? new Uint8Array(0)),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${await sha256(utf8.encode(canonicalRequest))}`;
  let key = utf8.encode(`AWS4${secretAccessKey}`);
  for (const part of [day, region, service, 'aws4_request']) key = await hmac(key, part);
  const signature = hex((await hmac(key, stringToSign)).buffer);
  headers.set(
    'authorization',
    `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
  return p.url;
}

/**
 * A fetch that signs every request with AWS Signature Version 4 for `region` and `service`
 * (default 'execute-api'), with credentials from `credentials()` (called per request). Method
 * (upper-cased), headers, body, signal and the other options are kept; the caller's Request
 * and init are not changed. Never retries.
 */
export function signingFetch(options: SigningFetchOptions): typeof fetch {
  const { region, credentials } = options;
  const service = options.service ?? 'execute-api';
  if (!region) throw new TypeError('signingFetch: a region is required');
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = typeof Request != 'undefined' && input instanceof Request ? input : undefined;
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init?.headers ?? request?.headers);
    let body: Uint8Array<ArrayBuffer> | undefined;
    // As in fetch, a null or missing init body leaves the Request's body in place.
    if (init?.body != null) body = await bodyBytes(init.body, headers);
    else if (request?.body) body = new Uint8Array(await request.clone().arrayBuffer());
    const url = await sign(
      method,
      request ? request.url : String(input),
      headers,
      body,
      await credentials(),
      region,
      service,
      options.now?.() ?? new Date(),
    );
    const out: RequestInit & { duplex?: string } = {
      ...(request ? requestInit(request) : {}),
      ...init,
      method,
      headers,
    };
    // The body is bytes now: no streaming upload (and no half duplex) any more.
    delete out.duplex;
    if (body) out.body = body;
    else delete out.body;
    return (options.fetch ?? fetch)(url, out);
  };
}

/**
 * Caches the credentials `fetcher` resolves with until `refreshBeforeMs` (default 5 minutes)
 * before their expiration (forever without one). Concurrent calls share one refresh; a failed
 * refresh is not cached (the next call tries again), and while the cached credentials have
 * not expired yet they are used when a refresh fails.
 */
export function cachedCredentials(
  fetcher: () => Promise<Credentials>,
  options: { refreshBeforeMs?: number } = {},
): () => Promise<Credentials> {
  const early = options.refreshBeforeMs ?? 5 * 60_000;
  let current: Credentials | undefined;
  let pending: Promise<Credentials> | undefined;
  const validFor = (c: Credentials, margin: number) =>
    !c.expiration || Date.now() < new Date(c.expiration).getTime() - margin;
  return () => {
    const cached = current;
    if (cached && validFor(cached, early)) return Promise.resolve(cached);
    // Started in a then(): a fetcher that throws at once rejects this promise too.
    pending ??= Promise.resolve()
      .then(fetcher)
      .then((c) => (current = c))
      .finally(() => {
        pending = undefined;
      });
    return cached && validFor(cached, 0) ? pending.catch(() => cached) : pending;
  };
}
