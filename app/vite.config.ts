import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

// The app is served by the API under /app (src/api/plugins/web-app.ts) from dist/app, so it talks to /v1 on the
// same origin: session cookies stay SameSite=Strict and no CORS is needed.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  // Brotli and gzip copies next to each file, served by @fastify/static (preCompressed) to browsers that accept them:
  // compressed once at build, not per request.
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, logLevel: 'silent' })],
  build: {
    outDir: fileURLToPath(new URL('../dist/app', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // The frame (React, the router, TanStack Query, i18next with three languages' texts) is about 520 kB, 164 kB
    // gzipped; every page and the charts are chunks of their own, loaded when first opened.
    chunkSizeWarningLimit: 600,
  },
});
