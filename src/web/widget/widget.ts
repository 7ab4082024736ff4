import { ChatController } from './chat-controller.js';
import { ChatPanel } from './chat-panel.js';
import { WidgetApi, type WidgetConfig } from './widget-api.js';

/**
 * Entry point of widget.js, embedded by shops as
 * `<script src="https://parley.example/widget.js" data-business="<id>" async></script>`.
 * `document.currentScript` is only set while this runs synchronously, so it is read first.
 */
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[data-business][src*="widget.js"]');

async function loadConfig(api: WidgetApi): Promise<WidgetConfig> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await api.config();
    } catch (error) {
      if (attempt >= 4) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000 * 2 ** attempt));
    }
  }
}

async function boot(element: HTMLScriptElement): Promise<void> {
  const businessId = element.dataset.business;
  if (!businessId) throw new Error('the script tag has no data-business attribute');
  const api = new WidgetApi(new URL(element.src, window.location.href).origin, businessId);
  const config = await loadConfig(api);
  let panel: ChatPanel | null = null;
  const controller = new ChatController(api, businessId, () => panel?.render());
  panel = new ChatPanel(controller, config);
  panel.render();
  await controller.start();
}

function whenBodyReady(run: () => void): void {
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}

const marker = '__parleyWidgetLoaded';
const globals = window as unknown as Record<string, unknown>;
if (!script) {
  console.warn('Parley widget: cannot find its <script> tag; add data-business to it.');
} else if (!globals[marker]) {
  // A shop that pastes the snippet twice still gets one widget.
  globals[marker] = true;
  whenBodyReady(() => {
    boot(script).catch((error: unknown) => {
      console.warn('Parley widget did not start:', error instanceof Error ? error.message : error);
    });
  });
}
