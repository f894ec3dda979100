import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  build: {
    // Next to every other build output of the workspace; `vite preview` serves it from here.
    outDir: '{{ out_dir | ts_string }}',
    emptyOutDir: true,
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
