// Tests of the client runtime (src/emit/client_runtime.ts), compiled by check.sh into
// .build/out. Run: bash check.sh (or, after a build, node --test runtime.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  ApiError,
  ResponseError,
  StreamParseError,
  UnexpectedStatusError,
  call,
  stream,
} from './.build/out/client_runtime.js';

const utf8 = (s) => new TextEncoder().encode(s);

/** A body that yields `chunks` (Uint8Arrays) one per pull and records cancel(). */
function body(chunks) {
  const state = { cancelled: false, pulls: 0 };
  let i = 0;
  const rs = new ReadableStream({
    pull(c) {
      state.pulls++;
      if (i < chunks.length) c.enqueue(chunks[i++]);
      else c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { rs, state };
}

/** A fake fetch answering with `respond(url, init)`; records every call and its `this`. */
function fake(respond = () => new Response('{}', { headers: { 'content-type': 'application/json' } })) {
  const calls = [];
  const fetch = async function (url, init) {
    calls.push({ url, init, self: this });
    return respond(url, init);
  };
  return { fetch, calls, config: (extra = {}) => ({ url: 'https://x.test/prod/', fetch, ...extra }) };
}

const spec = (extra) => ({ n: 'op', m: 'GET', p: '/', r: 'json', ...extra });

async function collect(gen) {
  const out = [];
  for await (const x of gen) out.push(x);
  return out;
}

/** Streams `bytes` cut at `cuts` (sorted offsets) through `stream` with response kind `r`. */
function streamOf(r, bytes, cuts, name = 'op') {
  const chunks = [];
  let last = 0;
  for (const c of [...cuts, bytes.length]) {
    chunks.push(bytes.slice(last, c));
    last = c;
  }
  const b = body(chunks);
  const f = fake(() => new Response(b.rs));
  return { gen: stream(f.config(), spec({ n: name, r }), undefined, undefined), state: b.state, calls: f.calls };
}

/** Every way of cutting `bytes` in two, plus one byte per chunk, plus whole. */
function* fragmentations(bytes) {
  yield [];
  for (let k = 1; k < bytes.length; k++) yield [k];
  yield Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
}

async function expectAllFragmentations(r, text, expected) {
  const bytes = utf8(text);
  let n = 0;
  for (const cuts of fragmentations(bytes)) {
    const { gen } = streamOf(r, bytes, cuts);
    assert.deepEqual(await collect(gen), expected, `cuts ${cuts.join(',')}`);
    n++;
  }
  assert.ok(n > bytes.length);
}

// ---------------------------------------------------------------- URL, query, headers

test('path parameters are encoded and the base URL trimmed', async () => {
  for (const url of ['https://x.test/prod/', 'https://x.test/prod', 'https://x.test/prod//']) {
    const f = fake();
    await call(
      f.config({ url }),
      spec({ p: '/items/{item_id}/sub/{n}', a: [['itemId', 'item_id', 0], ['n', 'n', 0]] }),
      { itemId: 'a b/c', n: 5 },
      undefined,
    );
    assert.equal(f.calls[0].url, 'https://x.test/prod/items/a%20b%2Fc/sub/5');
  }
});

test('path values: reserved characters and unicode encoded, every occurrence replaced', async () => {
  const f = fake();
  const id = "$&$'?#é😀";
  await call(f.config(), spec({ p: '/i/{id}/copy/{id}', a: [['id', 'id', 0]] }), { id }, undefined);
  assert.equal(f.calls[0].url, `https://x.test/prod/i/${encodeURIComponent(id)}/copy/${encodeURIComponent(id)}`);
});

test('a missing path parameter is a TypeError naming it, before any fetch', async () => {
  const f = fake();
  await assert.rejects(
    call(f.config(), spec({ n: 'getItem', p: '/items/{item_id}', a: [['itemId', 'item_id', 0]] }), {}, undefined),
    (e) => e instanceof TypeError && e.message.includes('itemId') && e.message.includes('getItem'),
  );
  await assert.rejects(
    call(f.config(), spec({ p: '/items/{item_id}', a: [['itemId', 'item_id', 0]] }), undefined, undefined),
    TypeError,
  );
  assert.equal(f.calls.length, 0);
});

test('a path value of . or .. is refused: the URL parser would resolve it to another resource', async () => {
  const f = fake();
  for (const id of ['.', '..']) {
    await assert.rejects(
      call(f.config(), spec({ n: 'getItem', p: '/items/{id}', a: [['id', 'id', 0]] }), { id }, undefined),
      (e) => e instanceof TypeError && e.message.includes(`'${id}'`) && e.message.includes('getItem'),
    );
  }
  await call(f.config(), spec({ p: '/items/{id}', a: [['id', 'id', 0]] }), { id: '...' }, undefined);
  assert.equal(f.calls.length, 1);
});

test('query: null/undefined omitted, arrays repeated, scalars, objects and dates', async () => {
  const f = fake();
  const a = [
    ['q', 'q', 1],
    ['u', 'u', 1],
    ['tag', 'tag', 1],
    ['flag', 'flag', 1],
    ['num', 'num', 1],
    ['obj', 'obj', 1],
    ['when', 'when', 1],
    ['sp', 'with space', 1],
  ];
  await call(
    f.config(),
    spec({ p: '/s', a }),
    {
      q: null,
      u: undefined,
      tag: ['a', null, 'b&c', undefined],
      flag: false,
      num: 0,
      obj: { x: [1] },
      when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      sp: 'a b',
    },
    undefined,
  );
  const url = new URL(f.calls[0].url);
  assert.ok(!f.calls[0].url.includes('null') && !f.calls[0].url.includes('undefined'));
  assert.deepEqual(url.searchParams.getAll('tag'), ['a', 'b&c']);
  assert.equal(url.searchParams.get('flag'), 'false');
  assert.equal(url.searchParams.get('num'), '0');
  assert.equal(url.searchParams.get('obj'), '{"x":[1]}');
  assert.equal(url.searchParams.get('when'), '2024-01-02T03:04:05.000Z');
  assert.equal(url.searchParams.get('with space'), 'a b');
  assert.ok(!url.searchParams.has('q') && !url.searchParams.has('u'));
});

test('no `?` when the query is empty', async () => {
  const f = fake();
  await call(f.config(), spec({ p: '/s', a: [['q', 'q', 1]] }), { q: null }, undefined);
  assert.equal(f.calls[0].url, 'https://x.test/prod/s');
});

test('method is upper-cased (fetch does not normalize PATCH)', async () => {
  const f = fake();
  await call(f.config(), spec({ m: 'patch' }), undefined, undefined);
  assert.equal(f.calls[0].init.method, 'PATCH');
});

test('fetch is called unbound (not as a method of the config)', async () => {
  const f = fake();
  await call(f.config(), spec(), undefined, undefined);
  assert.equal(f.calls[0].self, undefined);
});

test('headers: config (object), options, header and cookie params, accept', async () => {
  const f = fake();
  await call(
    f.config({ headers: { authorization: 'Bearer a', 'x-over': 'config', cookie: 'pre=1' } }),
    spec({
      a: [
        ['trace', 'X-Trace', 2],
        ['multi', 'x-multi', 2],
        ['none', 'x-none', 2],
        ['session', 'session', 3],
        ['lang', 'lang', 3],
        ['nc', 'nc', 3],
      ],
    }),
    { trace: 't1', multi: ['a', null, 2], none: null, session: 'a b;c', lang: 'fr', nc: undefined },
    { headers: { 'x-over': 'options' } },
  );
  const h = f.calls[0].init.headers;
  assert.ok(h instanceof Headers);
  assert.equal(h.get('authorization'), 'Bearer a');
  assert.equal(h.get('x-over'), 'options');
  assert.equal(h.get('x-trace'), 't1');
  assert.equal(h.get('x-multi'), 'a, 2');
  assert.equal(h.has('x-none'), false);
  assert.equal(h.get('cookie'), `pre=1; session=${encodeURIComponent('a b;c')}; lang=fr`);
  assert.equal(h.get('accept'), 'application/json');
});

test('headers: a config function is awaited on every request', async () => {
  const f = fake();
  let n = 0;
  const config = f.config({ headers: async () => ({ authorization: `Bearer ${++n}` }) });
  await call(config, spec(), undefined, undefined);
  await call(config, spec(), undefined, undefined);
  assert.equal(f.calls[0].init.headers.get('authorization'), 'Bearer 1');
  assert.equal(f.calls[1].init.headers.get('authorization'), 'Bearer 2');
  const sync = fake();
  await call(sync.config({ headers: () => [['x-a', '1']] }), spec(), undefined, undefined);
  assert.equal(sync.calls[0].init.headers.get('x-a'), '1');
});

test('accept follows the response kind unless the caller set one', async () => {
  const cases = {
    json: 'application/json',
    jsonl: 'application/jsonl, application/x-ndjson',
    seq: 'application/json-seq',
    sse: 'text/event-stream',
    ssej: 'text/event-stream',
    text: null,
    blob: null,
    none: null,
  };
  for (const [r, accept] of Object.entries(cases)) {
    const f = fake(() => new Response(null, { status: 204 }));
    if (['jsonl', 'seq', 'sse', 'ssej'].includes(r)) await collect(stream(f.config(), spec({ r }), undefined, undefined));
    else await call(f.config(), spec({ r }), undefined, undefined);
    assert.equal(f.calls[0].init.headers.get('accept'), accept, r);
  }
  const f = fake();
  await call(f.config(), spec(), undefined, { headers: { Accept: 'application/problem+json' } });
  assert.equal(f.calls[0].init.headers.get('accept'), 'application/problem+json');
});

test('signal is passed to fetch', async () => {
  const f = fake();
  const ac = new AbortController();
  await call(f.config(), spec(), undefined, { signal: ac.signal });
  assert.equal(f.calls[0].init.signal, ac.signal);
  await call(f.config(), spec(), undefined, undefined);
  assert.equal('signal' in f.calls[1].init, false);
});

// ---------------------------------------------------------------- bodies

test('json body uses the media type', async () => {
  const f = fake();
  await call(
    f.config({ headers: { 'content-type': 'text/plain' } }),
    spec({ m: 'PATCH', b: ['body', 'json', 'application/merge-patch+json'] }),
    { body: { a: 1, b: null } },
    undefined,
  );
  assert.equal(f.calls[0].init.body, '{"a":1,"b":null}');
  assert.equal(f.calls[0].init.headers.get('content-type'), 'application/merge-patch+json');
});

test('an undefined body sends no body key at all', async () => {
  for (const kind of ['json', 'form', 'multipart', 'raw']) {
    const f = fake();
    await call(f.config(), spec({ m: 'POST', b: ['body', kind, 'application/json'] }), { body: undefined }, undefined);
    await call(f.config(), spec({ m: 'POST', b: ['body', kind, 'application/json'] }), undefined, undefined);
    for (const c of f.calls) {
      assert.equal('body' in c.init, false, kind);
      assert.equal(c.init.headers.has('content-type'), false, kind);
    }
  }
});

test('form body: arrays repeated, null skipped, objects JSON', async () => {
  const f = fake();
  await call(
    f.config(),
    spec({ m: 'POST', b: ['form', 'form', 'application/x-www-form-urlencoded'] }),
    { form: { a: 'x y', tags: ['1', null, '2'], gone: null, undef: undefined, o: { k: true }, n: 3 } },
    undefined,
  );
  const b = f.calls[0].init.body;
  assert.ok(b instanceof URLSearchParams);
  assert.equal(String(b), 'a=x+y&tags=1&tags=2&o=%7B%22k%22%3Atrue%7D&n=3');
  assert.equal(f.calls[0].init.headers.get('content-type'), 'application/x-www-form-urlencoded');
});

test('multipart body: Blob and File, arrays, objects JSON, null skipped, no content-type', async () => {
  const f = fake();
  const blob = new Blob(['hello'], { type: 'text/plain' });
  const file = new File(['{}'], 'data.json', { type: 'application/json' });
  await call(
    f.config({ headers: { 'content-type': 'application/json' } }),
    spec({ m: 'POST', b: ['body', 'multipart', 'multipart/form-data'] }),
    { body: { blob, file, files: [file, null, blob], meta: { a: 1 }, n: 2, gone: null, undef: undefined } },
    undefined,
  );
  const fd = f.calls[0].init.body;
  assert.ok(fd instanceof FormData);
  assert.equal(f.calls[0].init.headers.has('content-type'), false);
  assert.equal(await fd.get('blob').text(), 'hello');
  assert.equal(fd.get('blob').name, 'blob');
  assert.equal(fd.get('file').name, 'data.json');
  assert.deepEqual(
    fd.getAll('files').map((x) => x.name),
    ['data.json', 'blob'],
  );
  assert.equal(fd.get('meta'), '{"a":1}');
  assert.equal(fd.get('n'), '2');
  assert.equal(fd.has('gone') || fd.has('undef'), false);
});

test('raw body is passed as is with the media type', async () => {
  const blob = new Blob(['x']);
  const buf = new Uint8Array([1, 2, 3]).buffer;
  for (const value of [blob, buf, 'text']) {
    const f = fake();
    await call(f.config(), spec({ m: 'PUT', b: ['data', 'raw', 'application/octet-stream'] }), { data: value }, undefined);
    assert.equal(f.calls[0].init.body, value);
    assert.equal(f.calls[0].init.headers.get('content-type'), 'application/octet-stream');
    assert.equal('duplex' in f.calls[0].init, false);
  }
  const f = fake();
  const rs = new ReadableStream();
  await call(f.config(), spec({ m: 'PUT', b: ['data', 'raw', 'image/*'] }), { data: rs }, undefined);
  assert.equal(f.calls[0].init.body, rs);
  assert.equal(f.calls[0].init.duplex, 'half');
  assert.equal(f.calls[0].init.headers.has('content-type'), false, 'a wildcard is not a content type');
});

// ---------------------------------------------------------------- responses

test('2xx responses by kind', async () => {
  const json = (s, status = 200) => () => new Response(s, { status });
  assert.deepEqual(await call(fake(json('{"a":[1]}')).config(), spec(), undefined, undefined), { a: [1] });
  assert.equal(await call(fake(json('')).config(), spec(), undefined, undefined), undefined);
  assert.equal(await call(fake(json(null, 204)).config(), spec(), undefined, undefined), undefined);
  assert.equal(await call(fake(json(null, 205)).config(), spec(), undefined, undefined), undefined);
  // 204/205 decide even when a (misbehaving) response carries a body.
  for (const status of [204, 205]) {
    const b = body([utf8('{"a":1}')]);
    const odd = { ok: true, status, headers: new Headers(), body: b.rs, text: async () => '{"a":1}' };
    assert.equal(await call(fake(() => odd).config(), spec(), undefined, undefined), undefined);
  }
  assert.equal(await call(fake(json('{"a":1}', 201)).config(), spec({ r: 'none' }), undefined, undefined), undefined);
  assert.equal(await call(fake(json('é')).config(), spec({ r: 'text' }), undefined, undefined), 'é');
  const blob = await call(fake(json('bytes')).config(), spec({ r: 'blob' }), undefined, undefined);
  assert.ok(blob instanceof Blob);
  assert.equal(await blob.text(), 'bytes');
});

test("'none' cancels the unread body", async () => {
  const b = body([utf8('x')]);
  await call(fake(() => new Response(b.rs)).config(), spec({ r: 'none' }), undefined, undefined);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(b.state.cancelled, true);
});

function errorResponse(status, text, headers) {
  return () => new Response(text, { status, headers });
}

test('documented statuses throw ApiError with status, body, headers and request id', async () => {
  const f = fake(errorResponse(404, '{"detail":"nope"}', { 'content-type': 'application/json', 'x-amzn-RequestId': 'r-1' }));
  const e = await call(f.config(), spec({ n: 'getItem', e: ['404'] }), undefined, undefined).catch((x) => x);
  assert.ok(e instanceof ApiError && e instanceof ResponseError && e instanceof Error);
  assert.equal(e.name, 'ApiError');
  assert.equal(e.status, 404);
  assert.deepEqual(e.body, { detail: 'nope' });
  assert.equal(e.headers.get('content-type'), 'application/json');
  assert.equal(e.requestId, 'r-1');
  assert.equal(e.operation, 'getItem');
  assert.equal(e.message, 'getItem: HTTP 404 (request id r-1)');
});

test('status classes and default match documented errors', async () => {
  const cases = [
    [['4XX'], 404, true],
    [['4xx'], 422, true],
    [['4XX'], 500, false],
    [['5XX', '404'], 502, true],
    [['default'], 418, true],
    [['400'], 404, false],
    [undefined, 404, false],
    [[], 500, false],
  ];
  for (const [e, status, documented] of cases) {
    const f = fake(errorResponse(status, 'x'));
    const err = await call(f.config(), spec({ e }), undefined, undefined).catch((x) => x);
    assert.equal(err instanceof ApiError, documented, `${e} ${status}`);
    assert.equal(err instanceof UnexpectedStatusError, !documented, `${e} ${status}`);
  }
});

test('API Gateway 403/429/502 are UnexpectedStatusError with everything attached', async () => {
  const gw = [
    [403, '{"message":"Forbidden"}', { 'content-type': 'application/json', 'x-amzn-RequestId': 'rest-id' }, 'rest-id', { message: 'Forbidden' }],
    [429, '{"message":"Too Many Requests"}', { 'content-type': 'application/json', 'apigw-requestid': 'http-id' }, 'http-id', { message: 'Too Many Requests' }],
    [502, 'Bad Gateway', { 'content-type': 'text/plain', 'X-AMZN-REQUESTID': 'upper' }, 'upper', 'Bad Gateway'],
    [504, '', {}, undefined, undefined],
  ];
  for (const [status, text, headers, requestId, parsed] of gw) {
    const f = fake(errorResponse(status, text, headers));
    const e = await call(f.config(), spec({ n: 'listItems', e: ['404', '422'] }), undefined, undefined).catch((x) => x);
    assert.ok(e instanceof UnexpectedStatusError && e instanceof ResponseError && !(e instanceof ApiError));
    assert.equal(e.name, 'UnexpectedStatusError');
    assert.equal(e.status, status);
    assert.deepEqual(e.body, parsed);
    assert.equal(e.requestId, requestId);
    assert.ok(e.headers instanceof Headers);
    assert.equal(e.operation, 'listItems');
    assert.equal(e.message, `listItems: HTTP ${status}${requestId ? ` (request id ${requestId})` : ''}`);
  }
});

test('an error body that claims JSON but is not stays text', async () => {
  const f = fake(errorResponse(500, '<html>', { 'content-type': 'application/json' }));
  const e = await call(f.config(), spec(), undefined, undefined).catch((x) => x);
  assert.equal(e.body, '<html>');
  const g = fake(errorResponse(400, '{"a":1}', { 'content-type': 'application/problem+json; charset=utf-8' }));
  assert.deepEqual((await call(g.config(), spec(), undefined, undefined).catch((x) => x)).body, { a: 1 });
});

// ---------------------------------------------------------------- jsonl / seq

test('jsonl: every fragmentation (split lines, split UTF-8, CRLF, blank lines, no final newline)', async () => {
  const text = '{"a":"é"}\r\n\n   \r\n{"b":"😀€"}\n[1,2]\r\n\t\n"x"';
  await expectAllFragmentations('jsonl', text, [{ a: 'é' }, { b: '😀€' }, [1, 2], 'x']);
});

test('jsonl: a final newline yields nothing more; an empty body yields nothing', async () => {
  await expectAllFragmentations('jsonl', '1\n2\n', [1, 2]);
  assert.deepEqual(await collect(streamOf('jsonl', new Uint8Array(), []).gen), []);
  const f = fake(() => new Response(null, { status: 200 }));
  assert.deepEqual(await collect(stream(f.config(), spec({ r: 'jsonl' }), undefined, undefined)), []);
});

test('jsonl: a 1 MB line in many chunks', async () => {
  const big = 'é'.repeat(300_000) + 'x'.repeat(500_000);
  const bytes = utf8(`{"n":1}\n${JSON.stringify({ big })}\n{"n":2}`);
  assert.ok(bytes.length > 1_000_000);
  for (const size of [65_536, 1_001, 7]) {
    const cuts = [];
    for (let k = size; k < bytes.length; k += size) cuts.push(k);
    const t0 = performance.now();
    const out = await collect(streamOf('jsonl', bytes, cuts).gen);
    const ms = performance.now() - t0;
    assert.equal(out.length, 3);
    assert.equal(out[1].big, big);
    assert.deepEqual(out[2], { n: 2 });
    assert.ok(ms < 20_000, `chunks of ${size}: ${ms} ms`);
  }
});

test('jsonl: a malformed line is a StreamParseError with its line number', async () => {
  const { gen } = streamOf('jsonl', utf8('{"a":1}\n\n{bad}\r\n{"b":2}\n'), [], 'tail');
  const out = [];
  const e = await (async () => {
    for await (const x of gen) out.push(x);
  })().catch((x) => x);
  assert.deepEqual(out, [{ a: 1 }]);
  assert.ok(e instanceof StreamParseError);
  assert.equal(e.name, 'StreamParseError');
  assert.equal(e.operation, 'tail');
  assert.equal(e.lineNumber, 3);
  assert.equal(e.line, '{bad}');
  assert.ok(e.message.includes('tail') && e.message.includes('3') && e.message.includes('{bad}'));
  assert.ok(e.cause instanceof SyntaxError);
});

test('StreamParseError keeps the whole line but shows 200 characters', async () => {
  const line = `{${'z'.repeat(5000)}`;
  const e = await collect(streamOf('jsonl', utf8(line), []).gen).catch((x) => x);
  assert.equal(e.line, line);
  assert.equal(e.lineNumber, 1);
  assert.ok(e.message.length < 300);
});

test('json-seq: RS-separated records, with and without newline, every fragmentation', async () => {
  await expectAllFragmentations('seq', '\x1e{"a":"é"}\n\x1e[1,\n2]\r\n\x1e"😀"\x1e3\x1e\n\x1etrue', [{ a: 'é' }, [1, 2], '😀', 3, true]);
});

test('json-seq: a malformed record is a StreamParseError with its record number', async () => {
  const e = await collect(streamOf('seq', utf8('\x1e1\n\x1e{oops\n\x1e2\n'), []).gen).catch((x) => x);
  assert.ok(e instanceof StreamParseError);
  assert.equal(e.lineNumber, 2);
  assert.equal(e.line, '{oops\n');
});

// ---------------------------------------------------------------- SSE

const SSE_TEXT =
  '\uFEFF: a comment\r\n' +
  'retry: 1500\n' +
  'event: greet\n' +
  'id: 7\n' +
  'data: hello\n' +
  'data:  two spaces\n' +
  'data\n' +
  '\n' +
  'data: é😀\r\r' + // CR-only line endings
  'event: nodata\n' +
  'id: 8\n' +
  '\n' + // no data: not dispatched, but the id is kept
  'id\n' + // empty id: resets
  'data:x\r\n' +
  'retry: 1x\n' + // not digits: ignored
  'id: a\0b\n' + // NUL: ignored
  'unknown: field\n' +
  ':\n' +
  '\r\n' +
  'data\r\n' +
  '\r\n' + // data with no value: ''
  'retry: 20\n' +
  'data: last\n' +
  '\n' +
  'data: lost\n'; // no blank line before the end: discarded

const SSE_EVENTS = [
  { data: 'hello\n two spaces\n', event: 'greet', id: '7', retry: 1500 },
  { data: 'é😀', id: '7', retry: 1500 },
  { data: 'x', retry: 1500 },
  { data: '', retry: 1500 },
  { data: 'last', retry: 20 },
];

test('sse: WHATWG parsing, every fragmentation', async () => {
  await expectAllFragmentations('sse', SSE_TEXT, SSE_EVENTS);
});

test('sse: only CR line endings', async () => {
  await expectAllFragmentations('sse', 'event: e\rdata: a\rdata: b\r\rdata: c\r\r', [{ data: 'a\nb', event: 'e' }, { data: 'c' }]);
});

test('sse: CRLF line endings (a CR and its LF in different chunks count once)', async () => {
  await expectAllFragmentations('sse', 'data: a\r\ndata: b\r\n\r\nid: 1\r\ndata: c\r\n\r\n', [{ data: 'a\nb' }, { data: 'c', id: '1' }]);
});

test('jsonl: line numbers hold under every fragmentation', async () => {
  const bytes = utf8('1\r\n\r\n\r{"é":\n{bad\r\n2\n');
  for (const cuts of fragmentations(bytes)) {
    const e = await collect(streamOf('jsonl', bytes, cuts).gen).catch((x) => x);
    assert.ok(e instanceof StreamParseError, `cuts ${cuts}`);
    assert.equal(e.lineNumber, 4, `cuts ${cuts}`);
    assert.equal(e.line, '{"é":', `cuts ${cuts}`);
  }
});

test('ssej: data parsed as JSON (multi-line data joined with newline)', async () => {
  await expectAllFragmentations('ssej', 'data: {"n":1}\n\nevent: x\ndata: [1,\ndata: 2]\n\n', [
    { data: { n: 1 } },
    { data: [1, 2], event: 'x' },
  ]);
});

test('ssej: malformed data is a StreamParseError at the first data line', async () => {
  const { gen } = streamOf('ssej', utf8('data: {"n":1}\n\n: c\ndata: {bad\ndata: more\n\n'), [], 'events');
  const out = [];
  const e = await (async () => {
    for await (const x of gen) out.push(x);
  })().catch((x) => x);
  assert.deepEqual(out, [{ data: { n: 1 } }]);
  assert.ok(e instanceof StreamParseError);
  assert.equal(e.operation, 'events');
  assert.equal(e.lineNumber, 4);
  assert.equal(e.line, '{bad\nmore');
});

// ---------------------------------------------------------------- stream lifecycle

function endless(line) {
  const state = { cancelled: false };
  const rs = new ReadableStream({
    pull(c) {
      c.enqueue(utf8(line));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { rs, state };
}

test('break cancels the body and aborts the fetch signal', async () => {
  for (const r of ['jsonl', 'seq', 'sse', 'ssej']) {
    const b = endless(r === 'seq' ? '\x1e{"i":1}\n' : r.startsWith('sse') ? 'data: {"i":1}\n\n' : '{"i":1}\n');
    const f = fake(() => new Response(b.rs));
    let n = 0;
    for await (const x of stream(f.config(), spec({ r }), undefined, undefined)) {
      assert.ok(x);
      if (++n === 3) break;
    }
    await new Promise((res) => setTimeout(res, 0));
    assert.equal(b.state.cancelled, true, r);
    assert.equal(f.calls[0].init.signal.aborted, true, r);
  }
});

test('an error thrown by the consumer cancels the body and aborts', async () => {
  const b = endless('1\n');
  const f = fake(() => new Response(b.rs));
  await assert.rejects(
    (async () => {
      for await (const x of stream(f.config(), spec({ r: 'jsonl' }), undefined, undefined)) if (x) throw new Error('boom');
    })(),
    /boom/,
  );
  await new Promise((res) => setTimeout(res, 0));
  assert.equal(b.state.cancelled, true);
  assert.equal(f.calls[0].init.signal.aborted, true);
});

test("the caller's signal aborts the stream's fetch signal, with its reason", async () => {
  const b = endless('1\n');
  const f = fake(() => new Response(b.rs));
  const ac = new AbortController();
  const gen = stream(f.config(), spec({ r: 'jsonl' }), undefined, { signal: ac.signal });
  assert.deepEqual(await gen.next(), { value: 1, done: false });
  const inner = f.calls[0].init.signal;
  assert.notEqual(inner, ac.signal);
  assert.equal(inner.aborted, false);
  const reason = new Error('stop');
  ac.abort(reason);
  assert.equal(inner.aborted, true);
  assert.equal(inner.reason, reason);
  await gen.return();
  assert.equal(b.state.cancelled, true);

  const pre = new AbortController();
  pre.abort('early');
  const g = fake(() => new Response(null));
  await collect(stream(g.config(), spec({ r: 'jsonl' }), undefined, { signal: pre.signal }));
  assert.equal(g.calls[0].init.signal.aborted, true);
  assert.equal(g.calls[0].init.signal.reason, 'early');
});

test('stream: nothing is fetched before the first next(); non-2xx throws the call errors there', async () => {
  const f = fake(errorResponse(502, '{"message":"Internal server error"}', { 'content-type': 'application/json', 'apigw-requestid': 'h1' }));
  const gen = stream(f.config(), spec({ n: 'tail', r: 'sse', e: ['404'] }), undefined, undefined);
  assert.equal(f.calls.length, 0);
  const e = await gen.next().catch((x) => x);
  assert.ok(e instanceof UnexpectedStatusError);
  assert.equal(e.status, 502);
  assert.deepEqual(e.body, { message: 'Internal server error' });
  assert.equal(e.requestId, 'h1');
  assert.equal(f.calls[0].init.signal.aborted, true, 'aborted in finally');
  const g = fake(errorResponse(404, 'missing'));
  const d = await stream(g.config(), spec({ n: 'tail', r: 'jsonl', e: ['404'] }), undefined, undefined).next().catch((x) => x);
  assert.ok(d instanceof ApiError);
  assert.equal(d.body, 'missing');
  assert.deepEqual(await gen.next(), { value: undefined, done: true });
});

test('stream: parameters and bodies are sent as for call', async () => {
  const f = fake(() => new Response('1\n'));
  const out = await collect(
    stream(
      f.config(),
      spec({ m: 'post', p: '/runs/{id}/events', a: [['id', 'id', 0], ['after', 'after', 1]], b: ['body', 'json', 'application/json'], r: 'jsonl' }),
      { id: 'r 1', after: 5, body: { x: 1 } },
      undefined,
    ),
  );
  assert.deepEqual(out, [1]);
  assert.equal(f.calls[0].url, 'https://x.test/prod/runs/r%201/events?after=5');
  assert.equal(f.calls[0].init.method, 'POST');
  assert.equal(f.calls[0].init.body, '{"x":1}');
});

// ---------------------------------------------------------------- real HTTP (Node's fetch)

async function withServer(handler, run) {
  // `connection: close` so that Node's fetch keeps no idle socket (and the process exits at once).
  const server = createServer((req, res) => {
    res.setHeader('connection', 'close');
    return handler(req, res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  try {
    return await run(`http://127.0.0.1:${port}/base/`);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

test('real fetch: break ends the server side of a jsonl stream', async () => {
  let closed;
  const serverClosed = new Promise((r) => (closed = r));
  await withServer(
    (req, res) => {
      assert.equal(req.url, '/base/tail?n=1');
      res.writeHead(200, { 'content-type': 'application/jsonl' });
      let i = 0;
      const timer = setInterval(() => res.write(`{"i":${i++}}\n`), 5);
      res.on('close', () => {
        clearInterval(timer);
        closed(true);
      });
    },
    async (url) => {
      const got = [];
      for await (const x of stream({ url }, spec({ p: '/tail', a: [['n', 'n', 1]], r: 'jsonl' }), { n: 1 }, undefined)) {
        got.push(x);
        if (got.length === 3) break;
      }
      assert.deepEqual(got, [{ i: 0 }, { i: 1 }, { i: 2 }]);
      let timer;
      const ok = await Promise.race([serverClosed, new Promise((r) => (timer = setTimeout(() => r(false), 5000)))]);
      clearTimeout(timer);
      assert.equal(ok, true, 'the server saw the connection close');
    },
  );
});

test('real fetch: multipart boundary, streamed raw upload, error request id', async () => {
  await withServer(
    async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const text = Buffer.concat(chunks).toString();
      if (req.url === '/base/upload') {
        const ct = req.headers['content-type'];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ boundary: /^multipart\/form-data; boundary=/.test(ct), file: text.includes('filename="a.txt"'), body: text.includes('hi there') }));
      } else if (req.url === '/base/raw') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`${req.headers['content-type']}|${text}`);
      } else {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-RequestId': 'abc-123' });
        res.end('{"message":"Forbidden"}');
      }
    },
    async (url) => {
      const up = await call(
        { url },
        spec({ m: 'POST', p: '/upload', b: ['body', 'multipart', 'multipart/form-data'] }),
        { body: { file: new File(['hi there'], 'a.txt'), note: 'n' } },
        undefined,
      );
      assert.deepEqual(up, { boundary: true, file: true, body: true });
      const raw = await call(
        { url },
        spec({ m: 'PUT', p: '/raw', b: ['data', 'raw', 'application/x-custom'], r: 'text' }),
        { data: new ReadableStream({ start: (c) => (c.enqueue(utf8('streamed')), c.close()) }) },
        undefined,
      );
      assert.equal(raw, 'application/x-custom|streamed');
      const e = await call({ url }, spec({ n: 'secret', p: '/secret', e: ['404'] }), undefined, undefined).catch((x) => x);
      assert.ok(e instanceof UnexpectedStatusError);
      assert.equal(e.status, 403);
      assert.equal(e.requestId, 'abc-123');
      assert.deepEqual(e.body, { message: 'Forbidden' });
    },
  );
});
