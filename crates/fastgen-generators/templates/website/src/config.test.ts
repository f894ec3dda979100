import { describe, expect, it } from 'vitest';

import { RuntimeConfigError, loadRuntimeConfig, parseRuntimeConfig } from './config';

describe('parseRuntimeConfig', () => {
  it('accepts the local configuration', () => {
    expect(parseRuntimeConfig({ apis: {} })).toEqual({ apis: {} });
  });

  it('keeps the API URLs and the Cognito settings', () => {
    const config = {
      apis: { MyApi: 'https://example.execute-api.us-east-1.amazonaws.com/prod/' },
      cognito: {
        region: 'us-east-1',
        userPoolId: 'us-east-1_abc',
        userPoolClientId: 'client',
        identityPoolId: 'us-east-1:pool',
      },
    };
    expect(parseRuntimeConfig(config)).toEqual(config);
  });

  it.each([
    [null, 'the runtime configuration is not a JSON object'],
    [[], 'the runtime configuration is not a JSON object'],
    [{}, '`apis` is not an object of API names to URLs'],
    [{ apis: { MyApi: 42 } }, '`apis.MyApi` is not a non-empty string'],
    [{ apis: {}, cognito: 'us-east-1' }, '`cognito` is not an object'],
    [
      { apis: {}, cognito: { region: 'us-east-1', userPoolId: 'us-east-1_abc' } },
      '`cognito.userPoolClientId` is not a non-empty string',
    ],
  ])('refuses %j', (value, message) => {
    expect(() => parseRuntimeConfig(value)).toThrow(new RuntimeConfigError(message));
  });
});

describe('loadRuntimeConfig', () => {
  const answer = (body: string, status = 200) => () => Promise.resolve(new Response(body, { status }));

  it('reads the file', async () => {
    await expect(loadRuntimeConfig(answer('{"apis": {"MyApi": "/api"}}'), '/c.json')).resolves.toEqual({
      apis: { MyApi: '/api' },
    });
  });

  it('says when the file is missing', async () => {
    await expect(loadRuntimeConfig(answer('<!doctype html>'), '/c.json')).rejects.toThrow(
      '/c.json is not JSON; is the file missing?',
    );
    await expect(loadRuntimeConfig(answer('', 404), '/c.json')).rejects.toThrow('/c.json answered 404');
  });
});
