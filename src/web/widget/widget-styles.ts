/** The widget's CSS, scoped by its shadow root; `all: initial` keeps the shop's inherited styles out. */
export const WIDGET_STYLES = `
:host { all: initial; }
* { box-sizing: border-box; }
.launcher, .panel {
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
  font-size: 15px; line-height: 1.4; color: #1f2328;
}
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 58px; height: 58px; border-radius: 50%; border: 0; cursor: pointer;
  background: #1f6f6b; color: #fff; display: grid; place-items: center;
  box-shadow: 0 6px 20px rgb(0 0 0 / 22%); transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible { outline: 2px solid #1f6f6b; outline-offset: 2px; }
.badge {
  position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px;
  border-radius: 10px; background: #c2410c; color: #fff; font-size: 12px; font-weight: 600;
  display: grid; place-items: center; border: 2px solid #fff;
}
.badge[hidden], .panel[hidden], .typing[hidden] { display: none; }
.panel {
  position: fixed; right: 20px; bottom: 92px; z-index: 2147483000;
  width: 370px; height: min(580px, calc(100vh - 120px));
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; border-radius: 16px; box-shadow: 0 12px 40px rgb(0 0 0 / 20%);
}
header {
  display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 14px 16px; background: #1f6f6b; color: #fff;
}
.title { font-weight: 600; font-size: 16px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.close {
  border: 0; background: transparent; color: inherit; font-size: 26px; line-height: 1;
  width: 32px; height: 32px; border-radius: 8px; cursor: pointer;
}
.close:hover { background: rgb(255 255 255 / 15%); }
.scroll { flex: 1; overflow-y: auto; padding: 16px 14px 8px; background: #f6f5f2; }
.messages { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.message { display: flex; flex-direction: column; gap: 6px; max-width: 82%; }
.message.mine { align-self: flex-end; align-items: flex-end; }
.message.theirs, .message.author-agent, .message.author-person { align-self: flex-start; }
.message.author-system { align-self: center; text-align: center; }
.bubble {
  margin: 0; padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere;
  background: #fff; border: 1px solid #e4e1da;
}
.mine .bubble { background: #1f6f6b; border-color: #1f6f6b; color: #fff; border-bottom-right-radius: 4px; }
.theirs .bubble, .author-agent .bubble, .author-person .bubble { border-bottom-left-radius: 4px; }
.author-system .bubble { background: transparent; border-style: dashed; color: #6b6f76; font-size: 13px; }
.sending .bubble { opacity: .65; }
.failed .bubble { background: #fdecea; border-color: #f5c2bd; color: #8a1c12; }
.retry {
  border: 0; background: none; color: #b42318; font: inherit; font-size: 12px; cursor: pointer; padding: 0;
  text-decoration: underline;
}
.choices { display: flex; flex-wrap: wrap; gap: 6px; }
.choice {
  font: inherit; font-size: 14px; padding: 6px 13px; border-radius: 999px; cursor: pointer;
  border: 1px solid #1f6f6b; background: #fff; color: #1f6f6b;
}
.choice:hover:not(:disabled) { background: #e3f0ee; }
.choice:disabled { border-color: #d4d1ca; color: #8b8f96; cursor: default; }
.typing { display: flex; gap: 4px; padding: 12px 14px; margin-top: 8px; width: max-content;
  background: #fff; border: 1px solid #e4e1da; border-radius: 16px; border-bottom-left-radius: 4px; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #9aa0a6; animation: blink 1.2s infinite; }
.typing span:nth-child(2) { animation-delay: .2s; }
.typing span:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid #e4e1da; background: #fff; }
textarea {
  flex: 1; resize: none; font: inherit; color: inherit; max-height: 120px;
  border: 1px solid #e4e1da; border-radius: 12px; padding: 9px 12px; background: #fff;
}
.send {
  width: 40px; height: 40px; border-radius: 50%; border: 0; cursor: pointer; flex: none;
  background: #1f6f6b; color: #fff; display: grid; place-items: center;
}
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
@media (max-width: 480px) {
  .panel { right: 0; bottom: 0; width: 100vw; height: 100dvh; border-radius: 0; }
  .launcher.open { display: none; }
}
@media (prefers-reduced-motion: reduce) { .typing span { animation: none; } .launcher { transition: none; } }
`;
