import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A shop's page on its own origin, embedding the widget with the contract's snippet. Its CSS is
 * deliberately hostile, to prove the widget's Shadow DOM keeps the shop's styles out.
 */
export async function startShopPage(
  widgetOrigin: string,
  businessId: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Crumb &amp; Co. Bakery</title>
  <style>
    body { font-family: Georgia, serif; margin: 0; background: #fbf7f0; color: #3b2f2f; }
    header { padding: 28px 40px; background: #7a4b2a; color: #fff; font-size: 28px; }
    main { padding: 32px 40px; font-size: 18px; max-width: 720px; }
    button { display: none !important; }
    div { font-size: 40px !important; color: red !important; }
  </style>
</head>
<body>
  <header>Crumb &amp; Co. Bakery</header>
  <main>
    <h1>Fresh sourdough every morning</h1>
    <p>Order cakes for birthdays and weddings, or ask us about today's bakes.</p>
  </main>
  <script src="${widgetOrigin}/widget.js" data-business="${businessId}" async></script>
</body>
</html>`;
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // "localhost" here and "127.0.0.1" for the widget's server: two origins, as in production.
    url: `http://localhost:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
