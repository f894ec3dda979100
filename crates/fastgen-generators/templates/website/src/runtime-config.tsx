import { createContext, useContext, type ReactNode } from 'react';

import type { RuntimeConfig } from './config';

const RuntimeConfigContext = createContext<RuntimeConfig | null>(null);

/** Makes the configuration `main.tsx` loaded available to every component below it. */
export function ConfigProvider({ config, children }: { config: RuntimeConfig; children: ReactNode }) {
  return <RuntimeConfigContext value={config}>{children}</RuntimeConfigContext>;
}

/** The runtime configuration (`/runtime-config.json`), e.g. `useRuntimeConfig().apis.MyApi`. */
export function useRuntimeConfig(): RuntimeConfig {
  const config = useContext(RuntimeConfigContext);
  if (config === null) {
    throw new Error('useRuntimeConfig() is called outside <ConfigProvider>');
  }
  return config;
}
