import { fileURLToPath } from 'node:url';
import type { InlineConfig } from 'vite';

const WIDGET_ENTRY = fileURLToPath(new URL('./widget/widget.ts', import.meta.url));

/**
 * Vite settings that bundle the chat widget into one self-contained IIFE, `<outDir>/widget.js`:
 * shops embed it with a plain <script> tag, so it may not load chunks or CSS files of its own.
 */
export function widgetBuildConfig(outDir: string): InlineConfig {
  return {
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      sourcemap: false,
      lib: {
        entry: WIDGET_ENTRY,
        formats: ['iife'],
        name: 'ParleyWidget',
        fileName: () => 'widget.js',
      },
    },
  };
}
