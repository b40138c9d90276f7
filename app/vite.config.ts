import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The app is served by the API under /app (src/api/plugins/web-app.ts) from dist/app, so it talks to /v1 on the
// same origin: session cookies stay SameSite=Strict and no CORS is needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The frame (React, the router, TanStack Query, i18next with three languages' texts) is about 520 kB, 164 kB
    // gzipped; every page and the charts are chunks of their own, loaded when first opened.
    chunkSizeWarningLimit: 600,
  },
});
