import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useState } from 'react';

import type { RuntimeConfig } from './config';
import { router } from './router';
import { ConfigProvider } from './runtime-config';

/** The whole site: the configuration, TanStack Query's cache and the router. */
export function App({ config }: { config: RuntimeConfig }) {
  const [queryClient] = useState(() => new QueryClient());
  return (
    <ConfigProvider config={config}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ConfigProvider>
  );
}
