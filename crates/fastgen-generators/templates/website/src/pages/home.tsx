import { useRuntimeConfig } from '../runtime-config';

export function HomePage() {
  const apis = Object.entries(useRuntimeConfig().apis);
  return (
    <main className="page">
      <h1>{{ title }}</h1>
      <p>
        This page is <code>src/pages/home.tsx</code>; the routes are in <code>src/router.tsx</code>.
      </p>
      <h2>APIs</h2>
      {apis.length === 0 ? (
        <p>
          No API is configured yet: <code>public/runtime-config.json</code> lists them for local
          development.
        </p>
      ) : (
        <ul>
          {apis.map(([name, url]) => (
            <li key={name}>
              {name}: <code>{url}</code>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
