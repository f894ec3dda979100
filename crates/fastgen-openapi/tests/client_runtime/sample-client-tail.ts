// Appended by check.sh after the runtime to make `.build/src/client.gen.ts`: a hand-written
// imitation of what fastgen emits after the embedded runtime, so that the runtime is also
// type-checked the way users compile it (one file, runtime on top). Not compiled on its own.

export interface GetItemRequest {
  itemId: string;
  q?: string | null | undefined;
  tag?: string[] | undefined;
  xTrace?: string | undefined;
}
export type GetItemError = ApiError<404, { detail: string }> | ApiError<422, { detail: unknown[] }>;
/** GET /items/{item_id} */
export const getItem = (config: ClientConfig, args: GetItemRequest, options?: CallOptions): Promise<{ id: string }> =>
  call(
    config,
    {
      n: 'getItem',
      m: 'GET',
      p: '/items/{item_id}',
      a: [['itemId', 'item_id', 0], ['q', 'q', 1], ['tag', 'tag', 1], ['xTrace', 'x-trace', 2]],
      r: 'json',
      e: ['404', '422'],
    },
    args,
    options,
  ) as Promise<{ id: string }>;

export interface UploadRequest {
  body: { file: Blob; note?: string | undefined };
}
export type UploadError = never;
/** POST /upload */
export const upload = (config: ClientConfig, args: UploadRequest, options?: CallOptions): Promise<undefined> =>
  call(config, { n: 'upload', m: 'POST', p: '/upload', b: ['body', 'multipart', 'multipart/form-data'], r: 'none' }, args, options) as Promise<undefined>;

export type EventsError = ApiError<number, unknown>;
/** GET /events */
export const events = (config: ClientConfig, options?: CallOptions): AsyncGenerator<SseEvent<{ n: number }>, void, undefined> =>
  stream(config, { n: 'events', m: 'GET', p: '/events', r: 'ssej', e: ['default'] }, undefined, options) as AsyncGenerator<
    SseEvent<{ n: number }>,
    void,
    undefined
  >;

/** The documented errors of each operation, for [`isApiError`]. */
export interface ApiErrors {
  getItem: GetItemError;
  upload: UploadError;
  events: EventsError;
}

/** Whether `error` is a documented error of `operation`; it then narrows on `status`. */
export const isApiError = <K extends keyof ApiErrors>(error: unknown, operation: K): error is ApiErrors[K] =>
  error instanceof ApiError && error.operation === operation;

/** The client: one method per operation. */
export class Api {
  private readonly config: ClientConfig;

  constructor(config: ClientConfig) {
    this.config = config;
  }

  /** GET /items/{item_id} */
  getItem(args: GetItemRequest, options?: CallOptions): Promise<{ id: string }> {
    return getItem(this.config, args, options);
  }

  /** GET /events */
  events(options?: CallOptions): AsyncGenerator<SseEvent<{ n: number }>, void, undefined> {
    return events(this.config, options);
  }
}

// Type-level use of the exported API, as an application would write it.
export async function example(signal: AbortSignal): Promise<string> {
  const api = new Api({ url: 'https://example.com/prod/', headers: async () => ({ authorization: 'Bearer x' }) });
  try {
    const item = await api.getItem({ itemId: 'a b/c', q: null }, { signal, headers: [['x-a', '1']] });
    for await (const ev of api.events({ signal })) {
      const n: number = ev.data.n;
      const id: string | undefined = ev.id;
      if (n > 1 || id) break;
    }
    return item.id;
  } catch (e) {
    if (isApiError(e, 'getItem')) {
      if (e.status === 404) return e.body.detail;
      const details: unknown[] = e.body.detail;
      return `${details.length}`;
    }
    if (e instanceof ResponseError) {
      const s: number = e.status;
      const rid: string | undefined = e.requestId;
      const h: Headers = e.headers;
      return `${s} ${rid} ${h.get('x')} ${e.operation}`;
    }
    if (e instanceof StreamParseError) return `${e.operation}:${e.lineNumber}:${e.line}`;
    if (e instanceof UnexpectedStatusError) return String(e.body);
    throw e;
  }
}
