// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { ConfigProvider } from '../../runtime-config';
import { SignIn, SignInError, currentUser, siteUrl, userManagerFor } from './sign-in';

afterEach(cleanup);

describe('sign-in', () => {
  it('signs in with the hosted UI of the configured user pool: authorization code grant, back to the site', () => {
    const { settings } = userManagerFor({
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbCdEf',
      userPoolClientId: 'client123',
    });
    expect(settings.authority).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf');
    expect(settings.client_id).toBe('client123');
    expect(settings.response_type).toBe('code');
    expect(settings.redirect_uri).toBe(siteUrl());
    expect(siteUrl()).toBe(`${window.location.origin}/`);
  });

  it('renders the site and says so when runtime-config.json has no `cognito`', () => {
    const withoutCognito = { apis: {} };
    render(
      <ConfigProvider config={withoutCognito}>
        <SignIn>
          <p>the site</p>
        </SignIn>
      </ConfigProvider>,
    );
    expect(screen.getByText('the site')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Sign-in is not configured');
  });

  it('has no user without a session', async () => {
    await expect(currentUser(null)).rejects.toThrow(SignInError);
  });
});
