import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app';
import { loadRuntimeConfig } from './config';
import { ConfigError } from './config-error';
import './styles.css';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html has no element with the id "root"');
}
const root = createRoot(container);

// The configuration comes first: nothing renders before the API URLs are known.
loadRuntimeConfig().then(
  (config) => {
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  },
  (error: unknown) => {
    console.error(error);
    root.render(<ConfigError error={error} />);
  },
);
