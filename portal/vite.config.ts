import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';

// In development the API is the platform's: `goldpath up --port 7300`, then `npm run dev -w portal`.
const api = process.env.GOLDPATH_URL ?? 'http://127.0.0.1:7300';

export default defineConfig({
  // Brotli and gzip copies beside each asset, made once at build: the platform serves the one the
  // browser accepts (src/api/portal-assets.ts) without compressing anything per request.
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 })],
  server: { proxy: { '/api': api } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
});
