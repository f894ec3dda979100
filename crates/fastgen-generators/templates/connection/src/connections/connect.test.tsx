// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { Component, type ReactNode } from 'react';
import { afterEach, expect, it, vi } from 'vitest';

import { ConfigProvider } from '../runtime-config';
import { connect, type ConnectionConfig } from './connect';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const headers = () => Promise.resolve({ authorization: 'token' });

const fake = connect({
  key: 'FakeApi',
  localUrl: 'http://localhost:8999/',
  client: (config: ConnectionConfig) => ({ config }),
  options: (client, queryClient) => ({ client, queryClient }),
  useAuthorization: () => ({ headers }),
});

/** What the hooks give, as text. */
function Probe() {
  const client = fake.useClient();
  const options = fake.useOptions();
  const { url } = client.config;
  return <p>{`${url} headers:${client.config.headers === headers} same:${options.client === client}`}</p>;
}

/** Shows the error a child threw. */
class Catch extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    return this.state.error === null ? this.props.children : <p>{this.state.error.message}</p>;
  }
}

function renderWith(apis: Record<string, string>) {
  const config = { apis };
  return render(
    <ConfigProvider config={config}>
      <QueryClientProvider client={new QueryClient()}>
        <Catch>
          <fake.Provider>
            <Probe />
          </fake.Provider>
        </Catch>
      </QueryClientProvider>
    </ConfigProvider>,
  );
}

it('creates the client from the configured URL and the authorization', () => {
  renderWith({ FakeApi: 'https://api.example.com/prod/' });
  expect(screen.getByText('https://api.example.com/prod/ headers:true same:true')).toBeTruthy();
});

it('says which key of runtime-config.json is missing', () => {
  // React reports the error the boundary catches.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  renderWith({ OtherApi: 'https://other.example.com/' });
  expect(
    screen.getByText('runtime-config.json has no `apis.FakeApi`: the URL FakeApi is deployed at'),
  ).toBeTruthy();
});
