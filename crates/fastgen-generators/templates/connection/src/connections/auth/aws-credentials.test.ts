// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

import { CognitoIdentityError, apiRegion, identityPoolCredentials, signedFetch } from './aws-credentials';
import { SignInError } from './sign-in';

const cognito = {
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbCdEf',
  userPoolClientId: 'client123',
  identityPoolId: 'eu-west-1:11111111-2222-3333-4444-555555555555',
};

/** A fetch that answers each call from `answers` in turn and records what it was sent. */
function fakeFetch(answers: { status: number; body: unknown }[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    const answer = answers[calls.length - 1] ?? { status: 500, body: {} };
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
  };
  return { calls, fetchImpl: fetchImpl as typeof fetch };
}

describe('identityPoolCredentials', () => {
  it('gets an identity, then its credentials, with the ID token as the user pool login', async () => {
    const { calls, fetchImpl } = fakeFetch([
      { status: 200, body: { IdentityId: 'eu-west-1:abc' } },
      {
        status: 200,
        body: {
          IdentityId: 'eu-west-1:abc',
          Credentials: { AccessKeyId: 'ASIA1', SecretKey: 'secret', SessionToken: 'session', Expiration: 1767225600 },
        },
      },
    ]);
    const credentials = await identityPoolCredentials(cognito, 'id-token', fetchImpl);
    expect(credentials).toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 'secret',
      sessionToken: 'session',
      expiration: new Date('2026-01-01T00:00:00Z'),
    });
    const logins = { 'cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf': 'id-token' };
    expect(calls.map(({ url, init }) => [url, init.method, new Headers(init.headers).get('x-amz-target'), JSON.parse(String(init.body))])).toEqual([
      ['https://cognito-identity.eu-west-1.amazonaws.com/', 'POST', 'AWSCognitoIdentityService.GetId', { IdentityPoolId: cognito.identityPoolId, Logins: logins }],
      ['https://cognito-identity.eu-west-1.amazonaws.com/', 'POST', 'AWSCognitoIdentityService.GetCredentialsForIdentity', { IdentityId: 'eu-west-1:abc', Logins: logins }],
    ]);
    expect(new Headers(calls[0]?.init.headers).get('content-type')).toBe('application/x-amz-json-1.1');
  });

  it("reports Cognito Identity's error", async () => {
    const { fetchImpl } = fakeFetch([
      { status: 400, body: { __type: 'NotAuthorizedException', message: 'Invalid login token.' } },
    ]);
    const failure = identityPoolCredentials(cognito, 'expired', fetchImpl);
    await expect(failure).rejects.toThrow(CognitoIdentityError);
    await expect(failure).rejects.toThrow('Cognito Identity GetId answered 400: NotAuthorizedException: Invalid login token.');
  });

  it('needs the identity pool', async () => {
    const withoutPool = { region: cognito.region, userPoolId: cognito.userPoolId, userPoolClientId: 'client123' };
    await expect(identityPoolCredentials(withoutPool, 'id-token', fakeFetch([]).fetchImpl)).rejects.toThrow(
      'runtime-config.json has no `cognito.identityPoolId`',
    );
  });
});

describe('signedFetch', () => {
  it("signs in the API URL's region", () => {
    expect(apiRegion('https://abc123.execute-api.us-west-2.amazonaws.com/prod/items')).toBe('us-west-2');
    expect(apiRegion('https://api.example.com/items')).toBeUndefined();
  });

  it('refuses to send without a session', async () => {
    await expect(signedFetch(null)('https://abc123.execute-api.us-west-2.amazonaws.com/prod/')).rejects.toThrow(SignInError);
  });
});
