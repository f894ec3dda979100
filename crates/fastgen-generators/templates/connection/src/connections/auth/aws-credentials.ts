import { useMemo } from 'react';

import type { CognitoConfig } from '../../config';
import { SignInError, currentUser, useSession, type Session } from './sign-in';
import { cachedCredentials, signingFetch, type Credentials } from './sigv4';

/** Cognito Identity refused a call: its error type and message. */
export class CognitoIdentityError extends Error {
  override readonly name = 'CognitoIdentityError';
  readonly action: string;
  readonly status: number;
  readonly type: string;

  constructor(action: string, status: number, type: string, message: string) {
    super(`Cognito Identity ${action} answered ${status}: ${type}${message ? `: ${message}` : ''}`);
    this.action = action;
    this.status = status;
    this.type = type;
  }
}

/**
 * The temporary AWS credentials of the identity pool's authenticated role for the user whose
 * ID token is `idToken`: Cognito Identity's `GetId` and then `GetCredentialsForIdentity`, both
 * public (unsigned) calls of its JSON API, with the user pool as the login provider.
 */
export async function identityPoolCredentials(
  cognito: CognitoConfig,
  idToken: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Credentials> {
  const identityPoolId = cognito.identityPoolId;
  if (identityPoolId === undefined) {
    throw new SignInError('runtime-config.json has no `cognito.identityPoolId`, which the APIs with IAM auth need');
  }
  // An identity pool ID is `<region>:<id>`.
  const region = identityPoolId.split(':')[0] || cognito.region;
  const logins = { [`cognito-idp.${cognito.region}.amazonaws.com/${cognito.userPoolId}`]: idToken };
  const call = async (action: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const response = await fetchImpl(`https://cognito-identity.${region}.amazonaws.com/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityService.${action}`,
      },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json().catch(() => ({}));
    const fields = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
    if (!response.ok) {
      // `__type` may carry a namespace: `com.amazonaws…#NotAuthorizedException`.
      const type = String(fields['__type'] ?? 'Error').split('#').pop() ?? 'Error';
      throw new CognitoIdentityError(action, response.status, type, String(fields['message'] ?? fields['Message'] ?? ''));
    }
    return fields;
  };
  const { IdentityId: identityId } = await call('GetId', { IdentityPoolId: identityPoolId, Logins: logins });
  if (typeof identityId !== 'string') {
    throw new CognitoIdentityError('GetId', 200, 'InvalidResponse', 'no IdentityId');
  }
  const { Credentials: credentials } = await call('GetCredentialsForIdentity', { IdentityId: identityId, Logins: logins });
  const c = typeof credentials === 'object' && credentials !== null ? (credentials as Record<string, unknown>) : {};
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = c;
  if (typeof AccessKeyId !== 'string' || typeof SecretKey !== 'string' || typeof SessionToken !== 'string') {
    throw new CognitoIdentityError('GetCredentialsForIdentity', 200, 'InvalidResponse', 'no credentials');
  }
  return {
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretKey,
    sessionToken: SessionToken,
    // The JSON API's timestamps are seconds since the epoch.
    expiration: typeof Expiration === 'number' ? new Date(Expiration * 1000) : undefined,
  };
}

/** The region of an API Gateway URL (`https://<id>.execute-api.<region>.amazonaws.com/…`), if it is one. */
export function apiRegion(url: string): string | undefined {
  const host = new URL(url, typeof location === 'undefined' ? undefined : location.href).hostname;
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)?.[1];
}

/**
 * A fetch that signs every request (SigV4, service `execute-api`) with the identity-pool
 * credentials of the session's user, fetched when first needed and renewed five minutes before
 * they expire. The region is the API URL's, or the user pool's for a custom domain name.
 */
export function signedFetch(session: Session | null, fetchImpl: typeof fetch = fetch): typeof fetch {
  const credentials = cachedCredentials(async () => {
    const user = await currentUser(session);
    if (!user.id_token) {
      throw new SignInError('the signed-in user has no ID token');
    }
    if (session === null) {
      throw new SignInError('sign-in is not configured: runtime-config.json has no `cognito`');
    }
    return identityPoolCredentials(session.cognito, user.id_token, fetchImpl);
  });
  const signers = new Map<string, typeof fetch>();
  return async (input, init) => {
    if (session === null) {
      throw new SignInError('sign-in is not configured: runtime-config.json has no `cognito`');
    }
    const url = input instanceof Request ? input.url : String(input);
    const region = apiRegion(url) ?? session.cognito.region;
    let signer = signers.get(region);
    if (signer === undefined) {
      signer = signingFetch({ region, service: 'execute-api', credentials, fetch: fetchImpl });
      signers.set(region, signer);
    }
    return signer(input, init);
  };
}

/** {@link signedFetch} for the signed-in user of the site (`SignIn`). */
export function useSignedFetch(): typeof fetch {
  const session = useSession();
  return useMemo(() => signedFetch(session), [session]);
}
