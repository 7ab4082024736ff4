import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import type { BusinessConfig } from '../config/business-config.js';
import { loadBusinessConfig } from '../config/load-business-config.js';
import { readServerSettings, type ServerSettings } from '../config/server-settings.js';

export const DEMO_CONFIG_PATH = fileURLToPath(
  new URL('../../examples/demo-shop.yaml', import.meta.url),
);

export interface Startup {
  settings: ServerSettings;
  config: BusinessConfig;
  configPath: string;
  demo: boolean;
}

/** Reads the environment and the business file once; the demo shop when no file is named. */
export async function loadStartup(options: { config?: string | undefined }): Promise<Startup> {
  const settings = readServerSettings(process.env);
  const configPath = options.config ?? settings.configPath ?? DEMO_CONFIG_PATH;
  const config = await loadBusinessConfig(configPath, process.env);
  return { settings, config, configPath, demo: configPath === DEMO_CONFIG_PATH };
}

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
