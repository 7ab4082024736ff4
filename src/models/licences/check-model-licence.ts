import type { LicensingProfile, ModelEntry } from '../../core/model-settings.js';
import type { LicenceFacts } from './licence-facts.js';
import { findLicence } from './model-licences.js';

export interface LicenceVerdict {
  modelId: string;
  /** `refused`: the terms exclude this business; `unknown`: no facts, allowed with a warning. */
  status: 'allowed' | 'refused' | 'unknown';
  facts: LicenceFacts | null;
  /** Why it is refused, or what to check. */
  reasons: string[];
  /** What the business must do to comply (attribution, passing terms on). */
  duties: string[];
}

/** Checks one configured model's licence against the business's domicile and size. */
export function checkModelLicence(
  entry: Pick<ModelEntry, 'id' | 'model' | 'licence'>,
  profile: LicensingProfile,
): LicenceVerdict {
  const facts = findLicence(entry.model, entry.licence);
  if (!facts) {
    return {
      modelId: entry.id,
      status: 'unknown',
      facts: null,
      reasons: [
        entry.licence
          ? `"${entry.licence}" is not in Parley's licence registry. Use one of its keys (such as llama-3, qwen, gemma), or remove licence: to match by model name.`
          : `Parley has no licence facts for ${entry.model}. Read its licence before commercial use; set licence: on the model to name a known one.`,
      ],
      duties: [],
    };
  }
  const reasons: string[] = [];
  const label = `${entry.model} (${facts.licence})`;
  if (facts.commercialUse === 'forbidden') {
    reasons.push(
      `${label} does not allow commercial use without a separate licence from its vendor.`,
    );
  }
  if (facts.excludedDomiciles) {
    if (profile.domicile === null) {
      // Not a refusal: the business has not said where it is. Doctor shows this as a warning.
    } else if (facts.excludedDomiciles.countries.includes(profile.domicile)) {
      reasons.push(
        `${label} excludes this business (domicile ${profile.domicile}): ${facts.excludedDomiciles.reason}.`,
      );
    }
  }
  if (
    facts.monthlyActiveUserLimit !== null &&
    profile.monthlyActiveUsers !== null &&
    profile.monthlyActiveUsers > facts.monthlyActiveUserLimit
  ) {
    reasons.push(
      `${label} requires a separate licence from its vendor above ${facts.monthlyActiveUserLimit.toLocaleString('en')} monthly active users; this business has ${profile.monthlyActiveUsers.toLocaleString('en')}.`,
    );
  }
  const warnings: string[] = [];
  if (facts.excludedDomiciles && profile.domicile === null) {
    warnings.push(
      `${label} excludes some countries (${facts.excludedDomiciles.reason}); set business.domicile in the business file so Parley can check.`,
    );
  }
  return {
    modelId: entry.id,
    status: reasons.length > 0 ? 'refused' : 'allowed',
    facts,
    reasons: reasons.length > 0 ? reasons : warnings,
    duties: facts.attribution ? [facts.attribution] : [],
  };
}
