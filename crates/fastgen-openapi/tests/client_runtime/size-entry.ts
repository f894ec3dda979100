// Bundle-size probe (check.sh): one operation, as an application importing a single function.
import { call, type CallOptions, type ClientConfig } from './.build/src/client_runtime.ts';

export const getItem = (config: ClientConfig, args: { itemId: string }, options?: CallOptions) =>
  call(config, { n: 'getItem', m: 'GET', p: '/items/{item_id}', a: [['itemId', 'item_id', 0]], r: 'json', e: ['404'] }, args, options);
