/** The owner console's HTTP API as the demo owner: what the console shows, over real HTTP. */
export async function consoleApi(baseUrl: string, password = 'demo-password-123') {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@demo.parley', password }),
  });
  if (login.status !== 200)
    throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .find((line) => line.startsWith('parley_session='))!
    .split(';')[0]!;
  return {
    /** The raw response, for what is not JSON (media). */
    fetch: (path: string) => fetch(`${baseUrl}${path}`, { headers: { cookie } }),
    async post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
      const response = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    async get<T>(path: string): Promise<T> {
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  };
}

export interface ConsoleMessage {
  id: string;
  author: string;
  direction: string;
  text: string;
  status: string;
  statusError: string | null;
  parts: Array<{ type: string } & Record<string, unknown>>;
}
