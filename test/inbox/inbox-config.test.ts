import { describe, expect, it } from 'vitest';
import { parseBusinessConfig } from '../../src/config/load-business-config.js';
import { configError, MINIMAL_YAML } from '../config/config-errors.js';

describe('the inbox section of the business file', () => {
  it('defaults the response target to 5 minutes and takes the owner’s value', () => {
    expect(parseBusinessConfig(MINIMAL_YAML, 'business.yaml', {}).inbox).toEqual({
      responseTargetMinutes: 5,
    });
    const config = parseBusinessConfig(
      `${MINIMAL_YAML}inbox:\n  responseTargetMinutes: 15\n`,
      'business.yaml',
      {},
    );
    expect(config.inbox?.responseTargetMinutes).toBe(15);
  });

  it('says what is wrong with a bad target or an unknown key, and where', async () => {
    const bad = await configError(() =>
      parseBusinessConfig(
        `${MINIMAL_YAML}inbox:\n  responseTargetMinutes: 0\n`,
        'business.yaml',
        {},
      ),
    );
    expect(bad.error.message).toContain('inbox.responseTargetMinutes');
    expect(bad.error.message).toContain('whole number from 1 to 1440');
    const typo = await configError(() =>
      parseBusinessConfig(`${MINIMAL_YAML}inbox:\n  responseTarget: 5\n`, 'business.yaml', {}),
    );
    expect(typo.error.message).toContain('responseTarget');
  });
});
