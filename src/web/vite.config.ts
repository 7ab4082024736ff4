import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';
import { widgetBuildConfig } from './widget-build-config.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const WEB_DIST = here('../../dist/web');

/**
 * One `vite build` makes both front-ends: this config builds the console (dist/web/console), and
 * when it is done the widget is built as a separate IIFE library (dist/web/widget.js), because
 * Vite builds one kind of output per run.
 */
function buildWidgetAfterConsole(): Plugin {
  return {
    name: 'parley-build-widget',
    apply: 'build',
    async closeBundle() {
      await build(widgetBuildConfig(WEB_DIST));
    },
  };
}

export default defineConfig({
  root: here('./console'),
  base: '/',
  plugins: [react(), buildWidgetAfterConsole()],
  server: {
    // `vite --config src/web/vite.config.ts` during development, beside a running Parley.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: `${WEB_DIST}/console`,
    emptyOutDir: true,
  },
});
