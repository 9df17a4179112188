/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server (`lagesbild serve`) embeds dist/ and serves it at `/`, falling back to index.html
// for client routes; in development (`vite`, `vite preview`), /api is proxied to a running server.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/maplibre-gl')) return 'maplibre';
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/sigma') || id.includes('node_modules/graphology')) return 'sigma';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.LAGESBILD_URL ?? 'http://127.0.0.1:8080' },
  },
  preview: {
    proxy: { '/api': process.env.LAGESBILD_URL ?? 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
