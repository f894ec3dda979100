// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';

import { App } from './app';
import { RuntimeConfigError } from './config';
import { ConfigError } from './config-error';

afterEach(cleanup);

it('renders the home page with the configured APIs', async () => {
  const config = { apis: { MyApi: 'https://api.example.com/' } };
  render(<App config={config} />);
  expect(await screen.findByRole('heading', { level: 1, name: '{{ title }}' })).toBeTruthy();
  expect(screen.getByText('https://api.example.com/')).toBeTruthy();
});

it('shows why the configuration could not be loaded', () => {
  render(<ConfigError error={new RuntimeConfigError('/runtime-config.json answered 404')} />);
  expect(screen.getByText('/runtime-config.json answered 404')).toBeTruthy();
});
