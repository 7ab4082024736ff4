import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readServerSettings } from '../../../src/config/server-settings.js';
import {
  checkDownloadHost,
  checkDownloadUrl,
  createPolicyFetch,
  downloadPolicyFrom,
  isPublicAddress,
  type DownloadPolicy,
} from '../../../src/models/local/download-policy.js';
import { buildTinyGguf } from '../../support/gguf-writer.js';
import { startTestParley, type TestParley } from '../../support/test-parley.js';
import { request, type ErrorResponse } from '../../server/support/http-client.js';
import { DEMO_OWNER, createUser, signIn } from '../../server/support/sign-in.js';
import { startModelFileServer, type ModelFileServer } from '../support/model-file-server.js';

const hubOnly = downloadPolicyFrom({ hubUrl: null, allowedHosts: [] });

describe('the model download policy', () => {
  it('allows Hugging Face and its CDNs over https, and nothing else by default', () => {
    expect(
      checkDownloadUrl('https://huggingface.co/a/b/resolve/main/x.gguf', hubOnly).explicit,
    ).toBe(false);
    expect(() => checkDownloadUrl('https://cdn-lfs.hf.co/x', hubOnly)).not.toThrow();
    expect(() => checkDownloadUrl('https://evil.example/x.gguf', hubOnly)).toThrow(
      /evil\.example is not a host Parley downloads models from.*PARLEY_MODEL_DOWNLOAD_HOSTS/,
    );
    expect(() => checkDownloadUrl('http://huggingface.co/x.gguf', hubOnly)).toThrow(/not https/);
    expect(() => checkDownloadUrl('file:///etc/passwd', hubOnly)).toThrow(/not https/);
    expect(() => checkDownloadUrl('https://user:pw@huggingface.co/x.gguf', hubOnly)).toThrow(
      /user name or password/,
    );
    // A look-alike is not a subdomain.
    expect(() => checkDownloadUrl('https://evilhf.co/x.gguf', hubOnly)).toThrow(/not a host/);
  });

  it('trusts hosts the operator named, on any scheme of http(s) and on private addresses', () => {
    const policy = downloadPolicyFrom({
      hubUrl: 'http://10.1.2.3:8080',
      allowedHosts: ['mirror.lan', '192.168.1.9:9000'],
    });
    expect(checkDownloadUrl('http://10.1.2.3:8080/a/b/resolve/main/x.gguf', policy).explicit).toBe(
      true,
    );
    expect(checkDownloadUrl('http://mirror.lan:1234/x.gguf', policy).explicit).toBe(true);
    expect(checkDownloadUrl('http://192.168.1.9:9000/x.gguf', policy).explicit).toBe(true);
    // A named host:port is that port only.
    expect(() => checkDownloadUrl('http://192.168.1.9:22/x.gguf', policy)).toThrow(/not https/);
    expect(() => checkDownloadUrl('https://192.168.1.9:22/x.gguf', policy)).toThrow(/not a host/);
  });

  it('refuses private, loopback and link-local addresses, literal or after DNS resolution', async () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.0.1',
      '169.254.169.254',
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
    for (const address of [
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect(isPublicAddress(address)).toBe(false);
    }
    const lenient: DownloadPolicy = {
      hubUrl: 'https://huggingface.co',
      allowedHosts: ['localhost', '169.254.169.254', '[::1]'],
      explicitHosts: [],
    };
    expect(() => checkDownloadUrl('https://169.254.169.254/latest/meta-data', lenient)).toThrow(
      /169\.254\.169\.254 resolves to 169\.254\.169\.254, a private, loopback or link-local address/,
    );
    expect(() => checkDownloadUrl('https://[::1]/x.gguf', lenient)).toThrow(/private, loopback/);
    // `localhost` is allowed by name but resolves to loopback: refused after the lookup.
    await expect(checkDownloadHost('https://localhost/x.gguf', lenient)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1)/,
    );
    await expect(
      checkDownloadHost('https://no-such-host.invalid/x.gguf', {
        ...lenient,
        allowedHosts: ['no-such-host.invalid'],
      }),
    ).rejects.toThrow(/cannot be found/);
  });

  it('checks the address again when connecting, so a name that changes its answer cannot reach inside', async () => {
    const lenient: DownloadPolicy = {
      hubUrl: 'https://huggingface.co',
      allowedHosts: ['localhost'],
      explicitHosts: [],
    };
    const policyFetch = createPolicyFetch(lenient);
    await expect(policyFetch('https://localhost:65000/x.gguf')).rejects.toThrow(
      /localhost resolves to .*private, loopback or link-local/,
    );
  });

  it('checks every redirect hop', async () => {
    const server = await startRedirector('http://169.254.169.254/latest/meta-data/');
    const policy = downloadPolicyFrom({ hubUrl: null, allowedHosts: [`127.0.0.1:${server.port}`] });
    await expect(
      createPolicyFetch(policy)(`http://127.0.0.1:${server.port}/x.gguf`),
    ).rejects.toThrow(/169\.254\.169\.254 is not https/);
    await new Promise((resolve) => server.server.close(resolve));
  });

  it('reads its settings from the environment and says what is wrong', () => {
    const settings = readServerSettings({
      PARLEY_MODEL_HUB_URL: 'http://127.0.0.1:4000/',
      PARLEY_MODEL_DOWNLOAD_HOSTS: 'models.example.com, *.cdn.example.com,10.0.0.5:8080',
    });
    expect(settings.modelDownloads).toEqual({
      hubUrl: 'http://127.0.0.1:4000',
      allowedHosts: ['models.example.com', '*.cdn.example.com', '10.0.0.5:8080'],
    });
    expect(() =>
      readServerSettings({ PARLEY_MODEL_DOWNLOAD_HOSTS: 'https://models.example.com/path' }),
    ).toThrow(/PARLEY_MODEL_DOWNLOAD_HOSTS: "https:\/\/models.example.com\/path" is not a host/);
    expect(() => readServerSettings({ PARLEY_MODEL_HUB_URL: 'ftp://mirror' })).toThrow(
      /PARLEY_MODEL_HUB_URL/,
    );
  });
});

async function startRedirector(location: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(302, { location });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('POST /api/models/pull fetches only from allowed sources', () => {
  let parley: TestParley;
  let hub: ModelFileServer;
  let cookie: string;

  beforeAll(async () => {
    hub = await startModelFileServer(buildTinyGguf(11));
    parley = await startTestParley({ env: { PARLEY_MODEL_HUB_URL: hub.url } });
    cookie = await signIn(parley.baseUrl, DEMO_OWNER);
  });
  afterAll(async () => {
    await parley?.stop();
    await hub?.close();
  });

  const pull = (source: string, as = cookie) =>
    request<ErrorResponse>(parley.baseUrl, '/api/models/pull', { body: { source }, cookie: as });

  it('refuses with a 400 that says why: a private address, a host not allowed, plain http', async () => {
    const metadata = await pull('https://169.254.169.254/latest/meta-data/x.gguf');
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.message).toMatch(/not a host Parley downloads models from/);
    const other = await pull('https://models.evil.example/x.gguf');
    expect(other.status).toBe(400);
    expect(other.body.error.code).toBe('validation_failed');
    // The hub is named, but another port of the same machine is not.
    const otherPort = await pull('http://127.0.0.1:1/x.gguf');
    expect(otherPort.status).toBe(400);
    expect(otherPort.body.error.message).toMatch(/not https/);
    const badName = await pull('hf:acme/../../x.gguf');
    expect(badName.status).toBe(400);
    const local = (
      await request<{ downloads: unknown[] }>(parley.baseUrl, '/api/models/local', {
        cookie,
      })
    ).body;
    expect(local.downloads).toEqual([]);
    expect(hub.ranges).toEqual([]);
  });

  it('staff cannot start a download (403)', async () => {
    const staff = await createUser(parley.store, {
      businessId: parley.business.id,
      email: 'staff-pull@northside.test',
      role: 'staff',
    });
    const staffCookie = await signIn(parley.baseUrl, {
      email: staff.user.email,
      password: staff.password,
    });
    expect((await pull('hf:acme/tiny-GGUF/tiny.gguf', staffCookie)).status).toBe(403);
  });

  it('downloads an hf: name from the configured hub', async () => {
    const started = await pull('hf:acme/tiny-GGUF/tiny.gguf');
    expect(started.status).toBe(202);
    type Local = { pulled: Array<{ name: string; sha256: string }> };
    await expect
      .poll(
        async () =>
          (await request<Local>(parley.baseUrl, '/api/models/local', { cookie })).body.pulled,
        { timeout: 15_000 },
      )
      .toEqual([expect.objectContaining({ name: 'tiny', sha256: hub.sha256 })]);
  });
});
