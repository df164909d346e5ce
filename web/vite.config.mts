import path from 'node:path';
import { defineConfig } from 'vite';

// The app is built into dist/web and served by the API at `/` (src/api/web-app.ts). Everything it loads is in the
// bundle: no font, script or style from another origin.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: path.join(import.meta.dirname, '..', 'dist', 'web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    rolldownOptions: {
      // Ant Design's modules start with "use client" (a React Server Components hint): meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
