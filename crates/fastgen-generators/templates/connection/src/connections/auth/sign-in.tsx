import { UserManager, type User } from 'oidc-client-ts';
import { AuthProvider, hasAuthParams, useAuth } from 'react-oidc-context';
import { createContext, useCallback, useContext, useEffect, useRef, type CSSProperties, type ReactNode } from 'react';

import type { CognitoConfig } from '../../config';
import { useRuntimeConfig } from '../../runtime-config';
import { isLocal } from '../local';

/** The user pool the site signs in with (runtime-config.json's `cognito`) and its oidc-client-ts client. */
export interface Session {
  readonly cognito: CognitoConfig;
  readonly userManager: UserManager;
}

/** Sign-in cannot happen (runtime-config.json has no `cognito`), or the session has ended. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

const SessionContext = createContext<Session | null>(null);

/**
 * Where the hosted UI sends the user back after signing in and out: the site's root. The user
 * pool client must list it among its callback and sign-out URLs.
 */
export function siteUrl(): string {
  return new URL(import.meta.env.BASE_URL, window.location.origin).href;
}

/**
 * The OpenID Connect client of the user pool: the hosted UI's authorization code grant with PKCE
 * (public client, no secret), tokens kept in sessionStorage and renewed before they expire with
 * the refresh token.
 */
export function userManagerFor(cognito: CognitoConfig): UserManager {
  return new UserManager({
    authority: `https://cognito-idp.${cognito.region}.amazonaws.com/${cognito.userPoolId}`,
    client_id: cognito.userPoolClientId,
    redirect_uri: siteUrl(),
    post_logout_redirect_uri: siteUrl(),
    response_type: 'code',
    scope: 'openid email profile',
    automaticSilentRenew: true,
  });
}

// One client per user pool for the page's life: a second one would renew the same tokens again.
let current: Session | undefined;

function sessionFor(cognito: CognitoConfig): Session {
  if (current === undefined || JSON.stringify(current.cognito) !== JSON.stringify(cognito)) {
    current = { cognito, userManager: userManagerFor(cognito) };
  }
  return current;
}

/** After the hosted UI's redirect: the `code` and `state` parameters leave the address bar. */
function forgetAuthParams(): void {
  window.history.replaceState(window.history.state, document.title, window.location.pathname);
}

const noticeStyle: CSSProperties = {
  padding: '0.5rem 1.5rem',
  background: 'color-mix(in srgb, #d93025 10%, transparent)',
  fontSize: '0.875rem',
};

/**
 * Signs the user in through the Cognito hosted UI before the site renders, for the APIs with IAM
 * or Cognito auth, and keeps the tokens fresh. Under `serve-local` nobody signs in. Without
 * `cognito` in runtime-config.json the site renders and says that those APIs cannot be called.
 */
export function SignIn({ children }: { children: ReactNode }) {
  const { cognito } = useRuntimeConfig();
  if (isLocal) {
    return children;
  }
  if (cognito === undefined) {
    return (
      <>
        <p role="status" style={noticeStyle}>
          Sign-in is not configured: runtime-config.json has no <code>cognito</code>, so the APIs that need
          a signed-in user cannot be called.
        </p>
        {children}
      </>
    );
  }
  const session = sessionFor(cognito);
  return (
    <AuthProvider userManager={session.userManager} onSigninCallback={forgetAuthParams}>
      <SessionContext value={session}>
        <RequireSignIn>{children}</RequireSignIn>
      </SessionContext>
    </AuthProvider>
  );
}

/** The site once the user is signed in; until then the way to the hosted UI. */
function RequireSignIn({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const redirected = useRef(false);
  const mustSignIn =
    !auth.isLoading && !auth.isAuthenticated && !auth.activeNavigator && !auth.error && !hasAuthParams();
  useEffect(() => {
    if (mustSignIn && !redirected.current) {
      redirected.current = true;
      void auth.signinRedirect();
    }
  }, [mustSignIn, auth]);
  if (auth.isAuthenticated) {
    return children;
  }
  if (auth.error) {
    return (
      <main className="page">
        <h1>Sign-in failed</h1>
        <pre className="error">{auth.error.message}</pre>
        <button type="button" onClick={() => void auth.removeUser().then(() => auth.signinRedirect())}>
          Sign in again
        </button>
      </main>
    );
  }
  return (
    <main className="page">
      <p>Signing in…</p>
    </main>
  );
}

/** The session of the signed-in user, or `null` (no sign-in configured, or `serve-local`). */
export function useSession(): Session | null {
  return useContext(SessionContext);
}

/**
 * The signed-in user with unexpired tokens: renewed first with the refresh token when they have
 * expired; a {@link SignInError} when there is none to renew.
 */
export async function currentUser(session: Session | null): Promise<User> {
  if (session === null) {
    throw new SignInError('sign-in is not configured: runtime-config.json has no `cognito`');
  }
  const user = await session.userManager.getUser();
  if (user !== null && !user.expired) {
    return user;
  }
  let renewed: User | null;
  try {
    renewed = await session.userManager.signinSilent();
  } catch (cause) {
    throw new SignInError('the session has expired and could not be renewed: sign in again', { cause });
  }
  if (renewed === null || renewed.expired) {
    throw new SignInError('not signed in');
  }
  return renewed;
}

/**
 * The `Authorization` header of every request, read per request: the signed-in user's ID token
 * as it is (what a REST API's Cognito authorizer takes), or the access token as a bearer token
 * (what an HTTP API's JWT authorizer takes).
 */
export function useTokenHeaders(token: 'id' | 'access'): () => Promise<HeadersInit> {
  const session = useSession();
  return useCallback(async () => {
    const user = await currentUser(session);
    const value = token === 'id' ? user.id_token : user.access_token;
    if (!value) {
      throw new SignInError(`the signed-in user has no ${token} token`);
    }
    return { authorization: token === 'id' ? value : `Bearer ${value}` };
  }, [session, token]);
}

/**
 * Signs the user out: of the site, then of the hosted UI when runtime-config.json names its
 * domain (`cognito.domain`), which sends the user back to the site (to sign in again).
 */
export function useSignOut(): () => Promise<void> {
  const session = useSession();
  return useCallback(async () => {
    if (session === null) {
      return;
    }
    await session.userManager.removeUser();
    const { domain, userPoolClientId } = session.cognito;
    if (domain === undefined) {
      window.location.assign(siteUrl());
      return;
    }
    const logout = new URL('/logout', domain.startsWith('https://') ? domain : `https://${domain}`);
    logout.searchParams.set('client_id', userPoolClientId);
    logout.searchParams.set('logout_uri', siteUrl());
    window.location.assign(logout.href);
  }, [session]);
}
