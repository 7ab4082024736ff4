import type { LicensingProfile, ModelsSettings } from '../core/model-settings.js';
import type { BusinessConfig } from './business-config.js';

/**
 * The business's domicile and size for licence checks. They belong to the business profile
 * (`business.domicile`, `business.monthlyActiveUsers`); files written before that kept them under
 * `models.licensing`, which is still read (the profile wins) with a warning to move them.
 */
export function licensingProfileOf(config: Pick<BusinessConfig, 'business' | 'models'>): {
  licensing: LicensingProfile;
  warnings: string[];
} {
  const { profile } = config.business;
  const old = config.models?.licensing ?? { domicile: null, monthlyActiveUsers: null };
  const warnings: string[] = [];
  const moved: string[] = [];
  if (old.domicile !== null) moved.push(`domicile: ${old.domicile}`);
  if (old.monthlyActiveUsers !== null) moved.push(`monthlyActiveUsers: ${old.monthlyActiveUsers}`);
  if (moved.length > 0) {
    warnings.push(
      `models.licensing is deprecated: the business's domicile and size belong to its profile. Move ${moved.join(' and ')} under business: in the business file and remove models.licensing.`,
    );
  }
  const conflict =
    (profile.domicile !== undefined &&
      old.domicile !== null &&
      profile.domicile !== old.domicile) ||
    (profile.monthlyActiveUsers !== undefined &&
      old.monthlyActiveUsers !== null &&
      profile.monthlyActiveUsers !== old.monthlyActiveUsers);
  if (conflict) {
    warnings.push(
      'business: and models.licensing disagree about the domicile or size; Parley uses business:. Remove models.licensing.',
    );
  }
  return {
    licensing: {
      domicile: profile.domicile ?? old.domicile,
      monthlyActiveUsers: profile.monthlyActiveUsers ?? old.monthlyActiveUsers,
    },
    warnings,
  };
}

/** The gateway settings with the licensing profile taken from the business profile. */
export function withBusinessLicensing(
  models: ModelsSettings,
  config: Pick<BusinessConfig, 'business' | 'models'>,
): { models: ModelsSettings; warnings: string[] } {
  const { licensing, warnings } = licensingProfileOf(config);
  return { models: { ...models, licensing }, warnings };
}
