// Compile-time tests of the signer's API (type-checked by check.sh; never run): how a website
// uses it, with the generated client's ClientConfig. Each @ts-expect-error must be an error.
import type { ClientConfig } from './.build/src/client_runtime.js';
import { cachedCredentials, encodeMultipart, signingFetch, type Credentials, type SigningFetchOptions } from './.build/src/sigv4.js';

declare function fetchTemporaryCredentials(): Promise<{ AccessKeyId?: string; SecretKey?: string; SessionToken?: string; Expiration?: Date }>;

const credentials = cachedCredentials(async (): Promise<Credentials> => {
  const c = await fetchTemporaryCredentials();
  // An SDK's optional fields go straight in, undefined included.
  return { accessKeyId: c.AccessKeyId ?? '', secretAccessKey: c.SecretKey ?? '', sessionToken: c.SessionToken, expiration: c.Expiration };
});

// The generated client takes the signing fetch as it is.
export const config: ClientConfig = { url: 'https://api.example.com/prod', fetch: signingFetch({ region: 'eu-west-1', credentials }) };

// A custom domain name, another service, another fetch, a corrected clock.
export const other: typeof fetch = signingFetch({
  region: 'us-east-1',
  service: 'lambda',
  credentials: cachedCredentials(async () => ({ accessKeyId: 'a', secretAccessKey: 'b' }), { refreshBeforeMs: 60_000 }),
  fetch: (input, init) => fetch(input, init),
  now: () => new Date(Date.now() + 1500),
});

export const response: Promise<Response> = other(new Request('https://api.example.com/x', { method: 'PUT', body: new FormData() }));
export const multipart: Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> = encodeMultipart(new FormData());

// @ts-expect-error the region is required
export const noRegion = signingFetch({ credentials });
// @ts-expect-error credentials are a function returning a promise
export const plain = signingFetch({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
// @ts-expect-error the secret key is required
export const noSecret: Credentials = { accessKeyId: 'a' };
// @ts-expect-error options are checked exactly
export const typo: SigningFetchOptions = { region: 'eu-west-1', credentials, servce: 'execute-api' };
