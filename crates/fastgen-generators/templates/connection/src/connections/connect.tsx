import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useMemo, type ReactNode } from 'react';

import { useRuntimeConfig } from '../runtime-config';
import { isLocal } from './local';

/** What a connection creates an API's client with (the client's `ClientConfig` takes it). */
export interface ConnectionConfig {
  /** The API's base URL. */
  readonly url: string;
  /** A fetch that authorises each request itself (SigV4 signing, for IAM auth). */
  readonly fetch?: typeof fetch;
  /** The headers of each request (a token, for Cognito or custom auth), asked for per request. */
  readonly headers?: () => Promise<HeadersInit>;
}

/** How the requests to an API are authorised: a fetch that signs them, or headers to send. */
export type Authorization = Pick<ConnectionConfig, 'fetch' | 'headers'>;

/** One API the site calls: what `connect` needs to give components its client and options. */
export interface ConnectionSpec<K extends string, C, O> {
  /** The API's key in `apis` of runtime-config.json (its class name). */
  readonly key: K;
  /** Where its `serve` target answers: used instead, without authorization, under `serve-local`. */
  readonly localUrl: string;
  /** Creates the client. */
  readonly client: (config: ConnectionConfig) => C;
  /** Creates the TanStack Query options of every operation of the client. */
  readonly options: (client: C, queryClient: QueryClient) => O;
  /** A hook (called on every render of the provider) giving the requests' authorization. */
  readonly useAuthorization?: () => Authorization;
}

/** An API's provider and the hooks that give its client and options to the components below it. */
export interface Connection<K extends string, C, O> {
  readonly key: K;
  readonly localUrl: string;
  readonly Provider: (props: { children: ReactNode }) => ReactNode;
  readonly useClient: () => C;
  readonly useOptions: () => O;
}

/** The API cannot be called: runtime-config.json has no URL for it, or a hook is used outside its provider. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

const unauthorised = (): Authorization => ({});

/**
 * Connect the site to one API: a provider (in `Connections`, `./index.tsx`) that creates its
 * client from the runtime configuration's URL (or `localUrl` under `serve-local`) and the
 * authorization `useAuthorization` gives, and the hooks that read them.
 */
export function connect<const K extends string, C, O>(spec: ConnectionSpec<K, C, O>): Connection<K, C, O> {
  const ApiContext = createContext<{ readonly client: C; readonly options: O } | ConnectionError | null>(null);
  const useAuthorization = spec.useAuthorization ?? unauthorised;

  function Provider({ children }: { children: ReactNode }) {
    const { apis } = useRuntimeConfig();
    const queryClient = useQueryClient();
    // Called on every render, local or not: a hook's calls must not depend on a condition.
    const { fetch, headers } = useAuthorization();
    const url = isLocal ? spec.localUrl : apis[spec.key];
    const value = useMemo(() => {
      if (url === undefined) {
        return new ConnectionError(
          `runtime-config.json has no \`apis.${spec.key}\`: the URL ${spec.key} is deployed at`,
        );
      }
      // Locally the API's own server checks no authorization.
      const config: ConnectionConfig = isLocal
        ? { url }
        : { url, ...(fetch === undefined ? {} : { fetch }), ...(headers === undefined ? {} : { headers }) };
      const client = spec.client(config);
      return { client, options: spec.options(client, queryClient) };
    }, [url, fetch, headers, queryClient]);
    return <ApiContext value={value}>{children}</ApiContext>;
  }

  function useConnection() {
    const value = useContext(ApiContext);
    if (value === null) {
      throw new ConnectionError(`the hooks of ${spec.key} are used outside <Connections> (src/connections/index.tsx)`);
    }
    if (value instanceof ConnectionError) {
      throw value;
    }
    return value;
  }

  return {
    key: spec.key,
    localUrl: spec.localUrl,
    Provider,
    useClient: () => useConnection().client,
    useOptions: () => useConnection().options,
  };
}
