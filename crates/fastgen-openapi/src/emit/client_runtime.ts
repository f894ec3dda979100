// ---- fastgen client runtime: no imports; uses the global fetch, Headers, URLSearchParams,
// FormData, Blob, TextDecoder and AbortController. Internal names start with `_`.

/** Where the API is and how to reach it. */
export interface ClientConfig {
  /** Base URL of the API, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod/ (with or without trailing slash; the path template is appended). */
  url: string;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Sent with every request; a function is called per request (for fresh tokens). */
  headers?: HeadersInit | (() => HeadersInit | Promise<HeadersInit>);
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the request (and, for a stream, the reading of its body). */
  signal?: AbortSignal;
  /** Sent with this request, over the config's headers. */
  headers?: HeadersInit;
}

/** Base of every error carrying an HTTP response. */
export class ResponseError<S extends number = number, B = unknown> extends Error {
  override name = 'ResponseError';
  readonly status: S;
  /** The response body: parsed JSON when the content type says JSON and it parses, else text; undefined when empty. */
  readonly body: B;
  readonly headers: Headers;
  /** API Gateway's request id: `x-amzn-RequestId` (REST) or `apigw-requestid` (HTTP API); undefined when absent. */
  readonly requestId: string | undefined;
  /** The client method name. */
  readonly operation: string;

  constructor(operation: string, status: S, body: B, headers: Headers) {
    const id = headers.get('x-amzn-requestid') ?? headers.get('apigw-requestid') ?? undefined;
    super(`${operation}: HTTP ${status}${id ? ` (request id ${id})` : ''}`);
    this.operation = operation;
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.requestId = id;
  }
}

/** A status the OpenAPI document declares for the operation. */
export class ApiError<S extends number = number, B = unknown> extends ResponseError<S, B> {
  override name = 'ApiError';
}

/** Any other non-2xx status (API Gateway's own 403/429/502/504 included). */
export class UnexpectedStatusError extends ResponseError<number, unknown> {
  override name = 'UnexpectedStatusError';
}

/** A stream line (jsonl), record (json-seq) or event (SSE) whose data is not valid JSON. */
export class StreamParseError extends Error {
  override name = 'StreamParseError';
  /** The client method name. */
  readonly operation: string;
  /** 1-based: the line (jsonl), the record (json-seq) or the event's first data line (SSE). */
  readonly lineNumber: number;
  /** The whole offending text (the message shows its first 200 characters). */
  readonly line: string;

  constructor(operation: string, lineNumber: number, line: string, cause?: unknown) {
    super(
      `${operation}: invalid JSON at stream line ${lineNumber}: ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`,
      { cause },
    );
    this.operation = operation;
    this.lineNumber = lineNumber;
    this.line = line;
  }
}

/** How one operation is called (generated; compact). */
export interface OpSpec {
  /** client method name, for errors */
  n: string;
  /** HTTP method */
  m: string;
  /** path template, e.g. '/items/{item_id}' */
  p: string;
  /** parameters: [argument key, wire name, location 0=path 1=query 2=header 3=cookie] */
  a?: readonly (readonly [string, string, 0 | 1 | 2 | 3])[];
  /** body: [argument key, kind, media type]; kind: 'json' | 'form' | 'multipart' | 'raw' */
  b?: readonly [string, 'json' | 'form' | 'multipart' | 'raw', string];
  /** response kind for 2xx: 'json' | 'text' | 'blob' | 'none' | 'jsonl' (also x-ndjson) | 'seq' (application/json-seq) | 'sse' (data as string) | 'ssej' (data parsed as JSON) */
  r: 'json' | 'text' | 'blob' | 'none' | 'jsonl' | 'seq' | 'sse' | 'ssej';
  /** documented error statuses as written in the document: '404', '4XX', 'default' */
  e?: readonly string[];
}

/** One server-sent event. `id` is the last event id seen on the stream and `retry` the last reconnection time (both persist across events, as in EventSource). */
export interface SseEvent<T> {
  data: T;
  event?: string;
  id?: string;
  retry?: number;
}

type _Rec = Record<string, unknown>;

const _accept: Partial<Record<OpSpec['r'], string>> = {
  json: 'application/json',
  jsonl: 'application/jsonl, application/x-ndjson',
  seq: 'application/json-seq',
  sse: 'text/event-stream',
  ssej: 'text/event-stream',
};

/** A parameter or form value as text: Date → ISO 8601, object → JSON, else String. */
const _str = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : typeof v == 'object' ? JSON.stringify(v) : String(v);

/** The items of a value that may be an array, without null/undefined. */
const _items = (v: unknown): unknown[] => [v].flat().filter((x) => x != null);

const _json = (s: OpSpec, text: string, line: number): unknown => {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new StreamParseError(s.n, line, text, e);
  }
};

async function _send(
  c: ClientConfig,
  s: OpSpec,
  args: object | undefined,
  o: CallOptions | undefined,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const a = (args ?? {}) as _Rec;
  const h = new Headers(typeof c.headers == 'function' ? await c.headers() : c.headers);
  new Headers(o?.headers).forEach((v, k) => h.set(k, v));
  const q = new URLSearchParams();
  const cookies: string[] = [];
  let path = s.p;
  for (const [k, w, l] of s.a ?? []) {
    const v = a[k];
    if (!l) {
      if (v == null) throw new TypeError(`${s.n}: missing path parameter '${k}'`);
      const e = encodeURIComponent(_str(v));
      // `.` and `..` survive encoding and the URL parser resolves them: another resource.
      if (e == '.' || e == '..') throw new TypeError(`${s.n}: path parameter '${k}' cannot be '${e}'`);
      path = path.split(`{${w}}`).join(e);
    } else {
      const xs = _items(v).map(_str);
      if (l == 1) for (const x of xs) q.append(w, x);
      else if (l == 3) for (const x of xs) cookies.push(`${w}=${encodeURIComponent(x)}`);
      else if (xs.length) h.set(w, xs.join(', '));
    }
  }
  if (cookies.length) h.set('cookie', [h.get('cookie'), ...cookies].filter(Boolean).join('; '));
  const accept = _accept[s.r];
  if (accept && !h.has('accept')) h.set('accept', accept);
  const init: RequestInit = { method: s.m.toUpperCase(), headers: h };
  if (signal) init.signal = signal;
  if (s.b) {
    const [k, kind, media] = s.b;
    const v = a[k];
    if (v !== undefined) {
      if (kind == 'multipart') {
        const f = new FormData();
        for (const [n, x] of Object.entries(v ?? {}))
          for (const y of _items(x)) f.append(n, y instanceof Blob ? y : _str(y));
        init.body = f;
        // fetch writes the content type with its boundary.
        h.delete('content-type');
      } else {
        if (kind == 'form') {
          const f = new URLSearchParams();
          for (const [n, x] of Object.entries(v ?? {})) for (const y of _items(x)) f.append(n, _str(y));
          init.body = f;
        } else init.body = kind == 'json' ? JSON.stringify(v) : (v as BodyInit);
        // A wildcard (`*/*`, `image/*`) is no content type: fetch derives one from the body.
        if (!media.includes('*')) h.set('content-type', media);
        // A streamed upload needs half duplex (Node, Chromium).
        if (v instanceof ReadableStream) Object.assign(init, { duplex: 'half' });
      }
    }
  }
  const qs = String(q);
  const f = c.fetch ?? fetch;
  const r = await f(c.url.replace(/\/+$/, '') + path + (qs ? `?${qs}` : ''), init);
  if (r.ok) return r;
  const text = await r.text().catch(() => '');
  let body: unknown = text || undefined;
  if (text && /json/i.test(r.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON after all: keep the text
    }
  }
  const st = String(r.status);
  const E = s.e?.some((e) => e == st || e == 'default' || e.toUpperCase() == `${st[0]}XX`)
    ? ApiError
    : UnexpectedStatusError;
  throw new E(s.n, r.status, body, r.headers);
}

/** Call a non-streaming operation; resolves with the parsed 2xx body (undefined for 204/205, 'none' or no body). */
export async function call(
  config: ClientConfig,
  spec: OpSpec,
  args: object | undefined,
  options: CallOptions | undefined,
): Promise<unknown> {
  const r = await _send(config, spec, args, options, options?.signal);
  if (spec.r == 'none' || r.status == 204 || r.status == 205 || !r.body) {
    void r.body?.cancel();
    return undefined;
  }
  if (spec.r == 'blob') return r.blob();
  const text = await r.text();
  return spec.r != 'json' ? text : text ? JSON.parse(text) : undefined;
}

/**
 * The body as text pieces separated by `re` (a global regex), decoded by one streaming
 * TextDecoder; each chunk is searched once. For line breaks (`\r\n`, `\r`, `\n`), a CRLF
 * split across chunks counts once. The last piece is yielded when not empty.
 */
async function* _split(rd: ReadableStreamDefaultReader<Uint8Array>, re: RegExp): AsyncGenerator<string, void, undefined> {
  const d = new TextDecoder();
  let pending = '';
  let cr = false;
  for (;;) {
    const { done, value } = await rd.read();
    let t = d.decode(value, { stream: !done });
    if (t) {
      if (cr && t[0] == '\n') t = t.slice(1);
      cr = t.endsWith('\r');
    }
    let i = 0;
    for (let m; (m = re.exec(t)); i = re.lastIndex) {
      yield pending + t.slice(i, m.index);
      pending = '';
    }
    pending += t.slice(i);
    if (done) {
      if (pending) yield pending;
      return;
    }
  }
}

/** Call a streaming operation: an async generator of items (jsonl/seq: parsed JSON values; sse: SseEvent<string>; ssej: SseEvent<parsed JSON>). */
export async function* stream(
  config: ClientConfig,
  spec: OpSpec,
  args: object | undefined,
  options: CallOptions | undefined,
): AsyncGenerator<unknown, void, undefined> {
  const ac = new AbortController();
  const outer = options?.signal;
  const abort = () => ac.abort(outer?.reason);
  if (outer?.aborted) abort();
  else outer?.addEventListener('abort', abort);
  let rd: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    const r = await _send(config, spec, args, options, ac.signal);
    if (!r.body) return;
    rd = r.body.getReader();
    const kind = spec.r;
    let n = 0;
    if (kind == 'jsonl' || kind == 'seq') {
      // jsonl: n counts lines (blank ones too); seq: n counts records.
      for await (const l of _split(rd, kind == 'seq' ? /\x1e/g : /\r\n?|\n/g)) {
        if (kind == 'jsonl') n++;
        if (l.trim()) yield _json(spec, l, kind == 'seq' ? ++n : n);
      }
      return;
    }
    // WHATWG event-stream parsing.
    let data = '';
    let event = '';
    let id = '';
    let retry: number | undefined;
    let first = 0;
    for await (const l of _split(rd, /\r\n?|\n/g)) {
      n++;
      if (!l) {
        if (data) {
          const text = data.slice(0, -1);
          const ev: SseEvent<unknown> = { data: kind == 'ssej' ? _json(spec, text, first) : text };
          if (event) ev.event = event;
          if (id) ev.id = id;
          if (retry != null) ev.retry = retry;
          yield ev;
        }
        data = event = '';
      } else if (l[0] != ':') {
        const c = l.indexOf(':');
        const field = c < 0 ? l : l.slice(0, c);
        let v = c < 0 ? '' : l.slice(c + 1);
        if (v[0] == ' ') v = v.slice(1);
        if (field == 'data') {
          if (!data) first = n;
          data += `${v}\n`;
        } else if (field == 'event') event = v;
        else if (field == 'id') {
          if (!v.includes('\0')) id = v;
        } else if (field == 'retry' && /^\d+$/.test(v)) retry = +v;
      }
    }
  } finally {
    outer?.removeEventListener('abort', abort);
    rd?.cancel().catch(() => {});
    ac.abort();
  }
}
