/**
 * The runtime configuration: what a deployment tells the site (the URL of each API, the
 * Cognito settings) in `/runtime-config.json`, read once before the first render. The same
 * build then runs in every environment. `public/runtime-config.json` is the local one.
 */
export interface RuntimeConfig {
  /** The base URL of each API the site calls, by name. */
  readonly apis: Readonly<Record<string, string>>;
  readonly cognito?: CognitoConfig;
}

export interface CognitoConfig {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly identityPoolId?: string;
  /** The hosted sign-in domain. */
  readonly domain?: string;
}

/** Where the configuration is read from: next to `index.html`, under Vite's base path. */
export const RUNTIME_CONFIG_URL = `${import.meta.env.BASE_URL}runtime-config.json`;

/** The configuration could not be loaded, or is not a {@link RuntimeConfig}. */
export class RuntimeConfigError extends Error {
  override readonly name = 'RuntimeConfigError';
}

/** Fetch and check the configuration; a {@link RuntimeConfigError} says what went wrong. */
export async function loadRuntimeConfig(
  fetchImpl: typeof fetch = fetch,
  url: string = RUNTIME_CONFIG_URL,
): Promise<RuntimeConfig> {
  let response: Response;
  try {
    // Never from the browser's cache: a deployment changes it without changing its URL.
    response = await fetchImpl(url, { cache: 'no-store' });
  } catch (cause) {
    throw new RuntimeConfigError(`${url} could not be fetched`, { cause });
  }
  if (!response.ok) {
    throw new RuntimeConfigError(`${url} answered ${response.status} ${response.statusText}`.trimEnd());
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    // A single-page host (Vite's dev server too) answers a missing file with index.html.
    throw new RuntimeConfigError(`${url} is not JSON; is the file missing?`, { cause });
  }
  return parseRuntimeConfig(body);
}

/** `value` as a {@link RuntimeConfig}, or a {@link RuntimeConfigError} naming the first problem. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
  if (!isObject(value)) {
    throw new RuntimeConfigError('the runtime configuration is not a JSON object');
  }
  if (!isObject(value.apis)) {
    throw new RuntimeConfigError('`apis` is not an object of API names to URLs');
  }
  const apis = Object.fromEntries(
    Object.entries(value.apis).map(([name, url]) => [name, nonEmptyString(url, `apis.${name}`)]),
  );
  if (value.cognito === undefined) {
    return { apis };
  }
  return { apis, cognito: parseCognito(value.cognito) };
}

function parseCognito(value: unknown): CognitoConfig {
  if (!isObject(value)) {
    throw new RuntimeConfigError('`cognito` is not an object');
  }
  return {
    region: nonEmptyString(value.region, 'cognito.region'),
    userPoolId: nonEmptyString(value.userPoolId, 'cognito.userPoolId'),
    userPoolClientId: nonEmptyString(value.userPoolClientId, 'cognito.userPoolClientId'),
    ...(value.identityPoolId === undefined
      ? {}
      : { identityPoolId: nonEmptyString(value.identityPoolId, 'cognito.identityPoolId') }),
    ...(value.domain === undefined
      ? {}
      : { domain: nonEmptyString(value.domain, 'cognito.domain') }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, key: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new RuntimeConfigError(`\`${key}\` is not a non-empty string`);
  }
  return value;
}
