// Tests of templates/connection-iam/sigv4.ts, compiled by check.sh into .build/out, which also
// writes .build/wire.json (dump.mjs: every case of cases.json as signed and sent) and
// .build/expected.json (reference.py: botocore's signatures of the same requests).
// Run: bash check.sh (or, after it, node --test sigv4.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash, createHmac } from 'node:crypto';
import { cachedCredentials, encodeMultipart, signingFetch } from './.build/out/sigv4.js';
import { bodyOf, plain, recorder, runCase, suite } from './harness.mjs';

const read = (name) => JSON.parse(readFileSync(new URL(`./.build/${name}`, import.meta.url), 'utf8'));

/** A stand-in fetch recording its calls. */
function fake(respond = () => new Response(null, { status: 204 })) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { fetch, calls };
}

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

/** A signer with the AWS test suite's settings (us-east-1, service 'service', 2015-08-30T12:36:00Z). */
function suiteSigner(credentials = EXAMPLE) {
  const f = fake();
  const sign = signingFetch({
    region: 'us-east-1',
    service: 'service',
    credentials: async () => credentials,
    now: () => new Date('2015-08-30T12:36:00Z'),
    fetch: f.fetch,
  });
  return { sign, calls: f.calls, auth: () => plain(f.calls.at(-1).init.headers).authorization };
}

test('every case of cases.json is signed exactly as botocore signs it, and sent as signed', () => {
  const wire = read('wire.json');
  const expected = read('expected.json');
  assert.equal(wire.length, suite.cases.length);
  assert.equal(expected.length, suite.cases.length);
  for (const [i, c] of suite.cases.entries()) {
    const got = wire[i];
    const want = expected[i];
    assert.equal(got.name, c.name);
    assert.equal(want.name, c.name);
    const h = got.headers;
    assert.equal(got.method, want.method, c.name);
    assert.equal(got.url, want.url, c.name);
    assert.equal(got.bodySha256, want.bodySha256, c.name);
    for (const k of ['content-type', 'x-amz-date', 'x-amz-security-token', 'authorization'])
      assert.equal(h[k] ?? null, want[k], `${c.name}: ${k}`);
    assert.equal(h['x-amz-content-sha256'], undefined, c.name);
    // The caller's headers go out unchanged (Headers trims their values); only some are signed.
    for (const [k, v] of Object.entries(c.headers ?? {})) assert.equal(h[k.toLowerCase()], v.trim(), `${c.name}: ${k}`);
    // What arrived at the server is what was signed.
    const r = got.received;
    const u = new URL(got.url);
    assert.equal(r.method, got.method, c.name);
    assert.equal(r.target, u.pathname + u.search, c.name);
    assert.equal(r.body, got.body, c.name);
    for (const k of ['content-type', 'x-amz-date', 'x-amz-security-token', 'authorization'])
      assert.equal(r.headers[k] ?? null, want[k], `${c.name}: received ${k}`);
  }
});

test('signing is deterministic: a second run of every case without a random boundary signs the same', async () => {
  const wire = read('wire.json');
  for (const [i, c] of suite.cases.entries()) {
    if (c.body?.kind == 'multipart') continue;
    const again = await runCase(c);
    assert.equal(again.headers.authorization, wire[i].headers.authorization, c.name);
    assert.equal(again.url, wire[i].url, c.name);
  }
});

// From the AWS Signature Version 4 test suite (docs.aws.amazon.com, "Signature Version 4 test
// suite": files <name>.req and <name>.authz), signature only. Its vectors for paths with spaces
// or UTF-8 (get-space, get-utf8) are written for a path signed as it was before any encoding
// (encoded once); a fetch URL is encoded already and is encoded once more (see below).
const AWS_SUITE = [
  ['get-vanilla', 'GET', '/', {}, '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['get-vanilla-query-order-key', 'GET', '/?Param1=value2&Param1=Value1', {}, '', 'eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1'],
  ['get-vanilla-query-order-value', 'GET', '/?Param1=value2&Param1=value1', {}, '', '5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694'],
  ['get-vanilla-query-order-key-case', 'GET', '/?Param2=value2&Param1=value1', {}, '', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
  ['get-vanilla-query-unreserved', 'GET', `/?${'-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'}=${'-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'}`, {}, '', '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197'],
  ['get-vanilla-utf8-query', 'GET', '/?ሴ=bar', {}, '', '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04'],
  ['get-unreserved', 'GET', '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', {}, '', '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f'],
  ['get-slashes (normalize-path)', 'GET', '//example//', {}, '', '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84'],
  ['get-slash-pointless-dot (normalize-path)', 'GET', '/./example', {}, '', 'ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5'],
  ['get-relative-relative (normalize-path)', 'GET', '/example1/example2/../..', {}, '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
  ['post-vanilla', 'POST', '/', {}, '', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ['post-vanilla-query', 'POST', '/?Param1=value1', {}, '', '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11'],
  ['post-x-www-form-urlencoded', 'POST', '/', { 'content-type': 'application/x-www-form-urlencoded' }, 'Param1=value1', 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a'],
];

for (const [name, method, path, headers, body, signature] of AWS_SUITE) {
  test(`AWS SigV4 test suite: ${name}`, async () => {
    const s = suiteSigner();
    const init = { method, headers };
    if (body) init.body = body;
    await s.sign(`https://example.amazonaws.com${path}`, init);
    const signed = Object.keys(headers).concat(['host', 'x-amz-date']).sort().join(';');
    assert.equal(
      s.auth(),
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signed}, Signature=${signature}`,
    );
  });
}

test('AWS SigV4 test suite: post-sts-header-before (session token signed)', async () => {
  const token =
    'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
  const s = suiteSigner({ ...EXAMPLE, sessionToken: token });
  await s.sign('https://example.amazonaws.com/', { method: 'POST' });
  assert.equal(
    s.auth(),
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead',
  );
  assert.equal(plain(s.calls[0].init.headers)['x-amz-security-token'], token);
});

/** SigV4 by hand with node:crypto, from a canonical request written out in full. */
function signByHand(canonicalRequest, { date = '20150830', amzDate = '20150830T123600Z', region = 'us-east-1', service = 'service' } = {}) {
  const sha = (s) => createHash('sha256').update(s).digest('hex');
  const mac = (key, s) => createHmac('sha256', key).update(s).digest();
  const scope = `${date}/${region}/${service}/aws4_request`;
  let key = Buffer.from(`AWS4${EXAMPLE.secretAccessKey}`);
  for (const p of [date, region, service, 'aws4_request']) key = mac(key, p);
  return createHmac('sha256', key).update(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha(canonicalRequest)}`).digest('hex');
}

test('path segments are URI-encoded twice in the canonical request (a space, %2F, UTF-8, sub-delimiters)', async () => {
  const s = suiteSigner();
  await s.sign("https://example.amazonaws.com/prod/a b%2Fc/caf%C3%A9/it's!/x+y/", {});
  // On the wire: each segment in RFC 3986 normal form; in the canonical request: encoded again.
  assert.equal(s.calls[0].url, 'https://example.amazonaws.com/prod/a%20b%2Fc/caf%C3%A9/it%27s%21/x%2By/');
  const creq = [
    'GET',
    '/prod/a%2520b%252Fc/caf%25C3%25A9/it%2527s%2521/x%252By/',
    '',
    'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n',
    'host;x-amz-date',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ].join('\n');
  assert.match(s.auth(), new RegExp(`Signature=${signByHand(creq)}$`));
});

test('the query is sent in normal form and signed sorted by name, then value', async () => {
  const s = suiteSigner();
  await s.sign('https://example.amazonaws.com/?b=2&a-b=x&a=z&a=y&q=a+b&p=1%2B1&t=%7e&flag&&u=%c3%a9#frag', {});
  assert.equal(s.calls[0].url, 'https://example.amazonaws.com/?b=2&a-b=x&a=z&a=y&q=a%20b&p=1%2B1&t=~&flag=&u=%C3%A9');
  const creq = [
    'GET',
    '/',
    // By name, then value: `a` before `a-b` (not by the joined `a=…` strings).
    'a=y&a=z&a-b=x&b=2&flag=&p=1%2B1&q=a%20b&t=~&u=%C3%A9',
    'host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n',
    'host;x-amz-date',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ].join('\n');
  assert.match(s.auth(), new RegExp(`Signature=${signByHand(creq)}$`));
});

test('signed headers: host (with a non-default port), content-type, x-amz-*, trimmed; others not signed', async () => {
  const s = suiteSigner();
  await s.sign('https://Example.amazonaws.com:8443/', {
    method: 'post',
    headers: { 'Content-Type': ' text/plain;  charset=x ', 'X-Amz-Meta-A': 'b  c', 'x-other': 'not signed', authorization: 'stale', 'x-amz-date': 'stale' },
    body: 'hi',
  });
  const creq = [
    'POST',
    '/',
    '',
    'content-type:text/plain; charset=x\nhost:example.amazonaws.com:8443\nx-amz-date:20150830T123600Z\nx-amz-meta-a:b c\n',
    'content-type;host;x-amz-date;x-amz-meta-a',
    createHash('sha256').update('hi').digest('hex'),
  ].join('\n');
  assert.match(s.auth(), new RegExp(`SignedHeaders=content-type;host;x-amz-date;x-amz-meta-a, Signature=${signByHand(creq)}$`));
  const h = plain(s.calls[0].init.headers);
  assert.equal(h['x-other'], 'not signed');
  assert.equal(h['x-amz-date'], '20150830T123600Z');
  assert.equal(s.calls[0].init.method, 'POST');
});

test('the multipart body is the one browsers (and Node) write, with its own boundary', async () => {
  const c = suite.cases.find((x) => x.body?.kind == 'multipart' && !x.input);
  const form = bodyOf(c.body);
  const ours = await encodeMultipart(form);
  const native = new Response(form);
  const theirs = Buffer.from(await native.arrayBuffer()).toString('latin1');
  const boundary = (ct) => ct.split('boundary=')[1];
  assert.match(ours.contentType, /^multipart\/form-data; boundary=----sigv4-[0-9a-f]{32}$/);
  assert.equal(
    Buffer.from(ours.body).toString('latin1').split(boundary(ours.contentType)).join('B'),
    theirs.split(boundary(native.headers.get('content-type'))).join('B'),
  );
  // A new boundary every time.
  assert.notEqual((await encodeMultipart(form)).contentType, ours.contentType);
  // And it parses back into the same entries.
  const back = await new Response(ours.body, { headers: { 'content-type': ours.contentType } }).formData();
  const entries = [];
  form.forEach((v, k) => entries.push([k, v]));
  const parsed = [];
  back.forEach((v, k) => parsed.push([k, v]));
  assert.equal(parsed.length, entries.length);
  for (const [i, [k, v]] of entries.entries()) {
    const [k2, v2] = parsed[i];
    assert.equal(k2, k);
    if (typeof v == 'string') assert.equal(v2, v.replace(/\r\n|\r|\n/g, '\r\n'));
    else {
      assert.equal(v2.name, v.name);
      assert.equal(v2.type, v.type || 'application/octet-stream');
      assert.deepEqual(new Uint8Array(await v2.arrayBuffer()), new Uint8Array(await v.arrayBuffer()));
    }
  }
});

test('a FormData body replaces the content type the caller set (its boundary would be wrong)', async () => {
  const s = suiteSigner();
  const form = new FormData();
  form.append('a', 'b');
  await s.sign('https://example.amazonaws.com/', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body: form });
  const h = plain(s.calls[0].init.headers);
  assert.match(h['content-type'], /^multipart\/form-data; boundary=----sigv4-/);
  assert.ok(new TextDecoder().decode(s.calls[0].init.body).includes(h['content-type'].split('boundary=')[1]));
});

test('a ReadableStream body is read to the end and sent as bytes (no UNSIGNED-PAYLOAD, no half duplex)', async () => {
  const s = suiteSigner();
  const chunks = ['ab', 'cd', 'e'].map((x) => new TextEncoder().encode(x));
  const body = new ReadableStream({ pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : c.close()) });
  await s.sign('https://example.amazonaws.com/', { method: 'PUT', body, duplex: 'half' });
  const init = s.calls[0].init;
  assert.equal(new TextDecoder().decode(init.body), 'abcde');
  assert.equal('duplex' in init, false);
  assert.equal(plain(init.headers)['x-amz-content-sha256'], undefined);
  const bad = new ReadableStream({ start: (c) => c.enqueue('text, not bytes') });
  await assert.rejects(s.sign('https://example.amazonaws.com/', { method: 'PUT', body: bad, duplex: 'half' }), TypeError);
  assert.equal(s.calls.length, 1);
});

test("the caller's Request and init are not changed; its method, headers, body, signal and options are kept", async () => {
  const s = suiteSigner();
  const ac = new AbortController();
  const request = new Request('https://example.amazonaws.com/items?x=1', {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-custom': '1' },
    body: '{"a":1}',
    signal: ac.signal,
    redirect: 'manual',
    cache: 'no-store',
  });
  await s.sign(request);
  assert.equal(request.bodyUsed, false);
  assert.equal(await request.clone().text(), '{"a":1}');
  assert.equal(request.headers.get('authorization'), null);
  const init = s.calls[0].init;
  assert.equal(init.method, 'PUT');
  assert.equal(init.redirect, 'manual');
  assert.equal(init.cache, 'no-store');
  assert.equal(new TextDecoder().decode(init.body), '{"a":1}');
  assert.equal(plain(init.headers)['x-custom'], '1');
  assert.equal(plain(init.headers)['content-type'], 'application/json');
  assert.equal(init.signal.aborted, false);
  ac.abort();
  assert.equal(init.signal.aborted, true);

  const headers = new Headers({ 'x-a': '1' });
  const signal = new AbortController().signal;
  const mine = { method: 'POST', headers, body: 'x', signal, credentials: 'include', mode: 'cors' };
  const copy = { ...mine };
  await s.sign('https://example.amazonaws.com/', mine);
  assert.deepEqual(mine, copy);
  assert.deepEqual(plain(headers), { 'x-a': '1' });
  const sent = s.calls[1].init;
  assert.equal(sent.signal, signal);
  assert.equal(sent.credentials, 'include');
  assert.equal(sent.mode, 'cors');
  // An init body replaces the Request's, as in fetch.
  await s.sign(request, { body: 'other' });
  assert.equal(new TextDecoder().decode(s.calls[2].init.body), 'other');
});

test('an aborted signal aborts the real request; nothing is retried', async () => {
  const server = await recorder();
  try {
    let credentialsCalls = 0;
    const f = signingFetch({
      region: 'eu-west-1',
      credentials: async () => (credentialsCalls++, EXAMPLE),
    });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(f(`${server.origin}/x`, { signal: ac.signal }), { name: 'AbortError' });
    assert.equal(server.got.length, 0);
    const r = await f(`${server.origin}/y?b=2&a=1`, { method: 'POST', body: 'z' });
    assert.equal(r.status, 204);
    assert.equal(server.got.length, 1);
    assert.equal(server.got[0].target, '/y?b=2&a=1');
    assert.match(server.got[0].headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /);
    assert.equal(credentialsCalls, 2);
  } finally {
    await server.close();
  }
  for (const respond of [() => Promise.reject(new TypeError('network down')), () => new Response('busy', { status: 503 })]) {
    const f = fake(respond);
    const sign = signingFetch({ region: 'eu-west-1', credentials: async () => EXAMPLE, fetch: f.fetch });
    const result = await sign('https://example.amazonaws.com/', { method: 'POST', body: 'once' }).then((r) => r.status, (e) => e.message);
    assert.ok(result == 503 || result == 'network down');
    assert.equal(f.calls.length, 1);
  }
});

test('credentials are asked for on every request; bad ones and a failing provider reject before anything is sent', async () => {
  const f = fake();
  let n = 0;
  const sign = signingFetch({ region: 'eu-west-1', credentials: async () => ({ ...EXAMPLE, accessKeyId: `K${++n}` }), fetch: f.fetch });
  await sign('https://example.amazonaws.com/');
  await sign('https://example.amazonaws.com/');
  assert.deepEqual(
    f.calls.map((c) => plain(c.init.headers).authorization.split('/')[0]),
    ['AWS4-HMAC-SHA256 Credential=K1', 'AWS4-HMAC-SHA256 Credential=K2'],
  );
  const failing = signingFetch({ region: 'eu-west-1', credentials: () => Promise.reject(new Error('no session')), fetch: f.fetch });
  await assert.rejects(failing('https://example.amazonaws.com/'), /no session/);
  const empty = signingFetch({ region: 'eu-west-1', credentials: async () => ({ accessKeyId: 'a', secretAccessKey: '' }), fetch: f.fetch });
  await assert.rejects(empty('https://example.amazonaws.com/'), TypeError);
  await assert.rejects(sign('ftp://example.amazonaws.com/'), TypeError);
  assert.equal(f.calls.length, 2);
  assert.throws(() => signingFetch({ region: '', credentials: async () => EXAMPLE }), TypeError);
});

test('the default service is execute-api; the region is the one given, whatever the host', async () => {
  const f = fake();
  const sign = signingFetch({ region: 'ap-south-1', credentials: async () => EXAMPLE, fetch: f.fetch, now: () => new Date('2026-01-02T03:04:05Z') });
  await sign('https://api.example.com/v1/x');
  await sign('https://abc.execute-api.us-east-1.amazonaws.com/prod/x');
  for (const c of f.calls)
    assert.match(plain(c.init.headers).authorization, /Credential=AKIDEXAMPLE\/20260102\/ap-south-1\/execute-api\/aws4_request, SignedHeaders=host;x-amz-date, /);
});

test('cachedCredentials: cached until refreshBeforeMs before expiry, one refresh at a time, failures not cached', async () => {
  const minutes = (m) => new Date(Date.now() + m * 60_000);
  let calls = 0;
  let next = () => ({ ...EXAMPLE, accessKeyId: `K${calls}`, expiration: minutes(30) });
  const get = cachedCredentials(async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    return next();
  });
  const [a, b, c] = await Promise.all([get(), get(), get()]);
  assert.equal(calls, 1);
  assert.equal(a, b);
  assert.equal(b, c);
  assert.equal(await get(), a);
  assert.equal(calls, 1);

  // Within the refresh window: refreshed; a failed refresh falls back to the still valid ones.
  let fail = false;
  const soon = cachedCredentials(async () => {
    calls++;
    if (fail) throw new Error('provider down');
    return { ...EXAMPLE, accessKeyId: `S${calls}`, expiration: minutes(3) };
  });
  const first = await soon();
  fail = true;
  assert.equal(await soon(), first);
  fail = false;
  const refreshed = await soon();
  assert.notEqual(refreshed.accessKeyId, first.accessKeyId);

  // Expired: a failure is an error, and the next call tries again.
  let attempts = 0;
  const expired = cachedCredentials(
    async () => {
      attempts++;
      if (attempts == 2) throw new Error('provider down');
      return { ...EXAMPLE, expiration: minutes(attempts == 1 ? -1 : 60) };
    },
    { refreshBeforeMs: 0 },
  );
  await expired();
  await assert.rejects(expired(), /provider down/);
  assert.equal((await expired()).expiration > new Date(), true);
  assert.equal(attempts, 3);

  // No expiration: kept for good. A provider that throws at once is an error too, not a hang.
  let forever = 0;
  const fixed = cachedCredentials(async () => (forever++, EXAMPLE));
  await fixed();
  await fixed();
  assert.equal(forever, 1);
  let sync = 0;
  const throwing = cachedCredentials(() => {
    if (sync++ == 0) throw new Error('at once');
    return Promise.resolve(EXAMPLE);
  });
  await assert.rejects(throwing(), /at once/);
  assert.equal(await throwing(), EXAMPLE);
});
