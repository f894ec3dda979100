import { RUNTIME_CONFIG_URL } from './config';

/** What the site shows instead of itself when its configuration could not be loaded. */
export function ConfigError({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <main className="page">
      <h1>This site could not start</h1>
      <p>Its configuration, {RUNTIME_CONFIG_URL}, could not be loaded:</p>
      <pre className="error">{message}</pre>
      <p>Deploy the site with its configuration, or check the file, then reload the page.</p>
    </main>
  );
}
