import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isValidWebhookSignature,
  signWebhookBody,
  verificationChallenge,
} from '../../src/channels/meta/webhook-signature.js';

const secret = 'test-app-secret-0123456789abcdef';

// Vectors computed independently with node:crypto's HMAC over the exact bytes.
function reference(body: Buffer, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

describe('X-Hub-Signature-256', () => {
  const ascii = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
  // Meta signs an escaped-unicode serialisation: the bytes, not the parsed value, are what count.
  const escaped = Buffer.from('{"text":{"body":"Thanks \\ud83d\\udc4d caf\\u00e9"}}');
  const raw = Buffer.from('{"text":{"body":"Thanks 👍 café"}}', 'utf8');

  it('accepts the signature of the exact bytes, for ASCII, escaped-unicode and raw UTF-8 bodies', () => {
    for (const body of [ascii, escaped, raw]) {
      expect(isValidWebhookSignature(body, reference(body, secret), [secret])).toBe(true);
      expect(signWebhookBody(body, secret)).toBe(reference(body, secret));
    }
  });

  it('rejects a body re-serialised from its parsed JSON (the escaped form signs other bytes)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(escaped.toString('utf8'))));
    expect(reserialised.equals(escaped)).toBe(false);
    expect(isValidWebhookSignature(reserialised, reference(escaped, secret), [secret])).toBe(false);
  });

  it('rejects a wrong secret, one changed byte, and malformed or missing headers', () => {
    const signature = reference(raw, secret);
    expect(isValidWebhookSignature(raw, reference(raw, 'another-secret'), [secret])).toBe(false);
    const tampered = Buffer.from(raw);
    tampered[10] = tampered[10]! ^ 0x01;
    expect(isValidWebhookSignature(tampered, signature, [secret])).toBe(false);
    expect(isValidWebhookSignature(raw, undefined, [secret])).toBe(false);
    expect(isValidWebhookSignature(raw, signature.slice(0, -2), [secret])).toBe(false);
    expect(isValidWebhookSignature(raw, signature.replace('sha256=', 'sha1='), [secret])).toBe(
      false,
    );
    expect(isValidWebhookSignature(raw, `${signature.slice(0, -1)}z`, [secret])).toBe(false);
    expect(isValidWebhookSignature(raw, signature, [])).toBe(false);
  });

  it('accepts any of several app secrets (one Meta app per business), upper-case hex too', () => {
    const signature = reference(raw, 'second-business-secret');
    expect(isValidWebhookSignature(raw, signature, [secret, 'second-business-secret'])).toBe(true);
    expect(
      isValidWebhookSignature(raw, `sha256=${signature.slice(7).toUpperCase()}`, [
        'second-business-secret',
      ]),
    ).toBe(true);
  });
});

describe('verification handshake', () => {
  const query = (token: string) => ({
    'hub.mode': 'subscribe',
    'hub.verify_token': token,
    'hub.challenge': '1158201444',
  });

  it('echoes the challenge for a configured verify token and nothing otherwise', () => {
    expect(verificationChallenge(query('parley-verify'), ['parley-verify'])).toBe('1158201444');
    expect(verificationChallenge(query('guess'), ['parley-verify'])).toBeNull();
    expect(
      verificationChallenge({ ...query('parley-verify'), 'hub.mode': 'unsubscribe' }, [
        'parley-verify',
      ]),
    ).toBeNull();
    expect(verificationChallenge({ 'hub.mode': 'subscribe' }, ['parley-verify'])).toBeNull();
  });
});
