import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API is the platform's: `goldpath up --port 7300`, then `npm run dev -w portal`.
const api = process.env.GOLDPATH_URL ?? 'http://127.0.0.1:7300';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': api } },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
});
