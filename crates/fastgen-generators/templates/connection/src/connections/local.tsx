import type { CSSProperties } from 'react';

/**
 * Whether the site runs under `pnpm nx run {{ website }}:{{ local_mode }}` (Vite's mode `{{ local_mode }}`):
 * then every connected API is called at its local `serve` URL (http://localhost:<port>/),
 * without sign-in or authorization, since the local servers check none, and the page says so.
 */
export const isLocal: boolean = import.meta.env.MODE === '{{ local_mode }}';

const bannerStyle: CSSProperties = {
  padding: '0.5rem 1.5rem',
  background: 'color-mix(in srgb, #f9ab00 20%, transparent)',
  borderBottom: '1px solid color-mix(in srgb, #f9ab00 60%, transparent)',
  fontSize: '0.875rem',
};

/** Under `{{ local_mode }}`: which local URL each API is called at, and that nobody signs in. */
export function LocalBanner({ apis }: { apis: readonly { readonly key: string; readonly localUrl: string }[] }) {
  if (!isLocal) {
    return null;
  }
  return (
    <aside role="status" style={bannerStyle}>
      Local development: {apis.map(({ key, localUrl }) => `${key} at ${localUrl}`).join(', ')}, without
      sign-in or authorization.
    </aside>
  );
}
