import type { BusinessConfig } from '../../config/business-config.js';
import { withBusinessLicensing } from '../../config/business-licensing.js';
import { resolveModelsSettings } from '../../config/models-config.js';
import { applyModelOverrides, type ServerSettings } from '../../config/server-settings.js';
import { checkModelLicence } from '../../models/licences/check-model-licence.js';
import {
  discoverModelServers,
  serverCandidates,
  type KnownServer,
} from '../../models/local/discover-model-servers.js';
import { priceFor } from '../../models/price-table.js';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/**
 * The model gateway's checks: each configured model's licence against the business (refused is a
 * failure), hosted models without a known price, and model servers already running on this
 * machine (offered when the business has no model yet).
 */
export async function modelGatewayChecks(
  startup: { config: BusinessConfig; settings: ServerSettings },
  options: { servers?: readonly KnownServer[]; fetch?: typeof fetch } = {},
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let models;
  let warnings: string[];
  try {
    const resolved = withBusinessLicensing(
      resolveModelsSettings(
        startup.config.models ?? null,
        applyModelOverrides(startup.config, startup.settings),
      ),
      startup.config,
    );
    models = resolved.models;
    warnings = resolved.warnings;
  } catch {
    return checks; // the model check above has already reported the configuration problem
  }
  for (const entry of models.catalog) {
    const verdict = checkModelLicence(entry, models.licensing);
    const name = `licence ${entry.id}`;
    if (verdict.status === 'refused') {
      checks.push({
        name,
        ok: false,
        detail: verdict.reasons.join(' '),
        fix: 'Choose another model for this business, or correct business.domicile and business.monthlyActiveUsers in the business file. Parley will not start with it.',
      });
    } else if (verdict.status === 'unknown') {
      checks.push({
        name,
        ok: true,
        detail: `${entry.model}: licence unknown`,
        fix: verdict.reasons.join(' '),
      });
    } else {
      const notes = [...verdict.reasons, ...verdict.duties];
      checks.push({
        name,
        ok: true,
        detail: `${entry.model}: ${verdict.facts?.licence ?? ''}${verdict.facts?.openWeights ? ' (open weights)' : ' (closed)'}`,
        ...(notes.length > 0 ? { fix: notes.join(' ') } : {}),
      });
    }
    if (entry.location === 'external' && priceFor(entry, models.prices).source === 'none') {
      checks.push({
        name: `price ${entry.id}`,
        ok: true,
        detail: `no price known for ${entry.model}: its calls are logged at cost 0`,
        fix: `Add price: { inputPerMillion, outputPerMillion } to models.catalog.${entry.id}.`,
      });
    }
  }
  for (const warning of warnings) {
    checks.push({ name: 'licensing profile', ok: true, detail: warning });
  }
  const servers = await discoverModelServers(
    options.servers ?? serverCandidates(startup.settings.modelServers),
    options.fetch ? { fetch: options.fetch } : {},
  );
  if (servers.length === 0) {
    if (models.catalog.length === 0) {
      checks.push({
        name: 'local models',
        ok: true,
        detail:
          'no model server found on this machine (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000)',
        fix: 'Run parley model pull qwen2.5-0.5b-instruct to download a small model Parley runs itself, or start Ollama.',
      });
    }
  } else {
    for (const server of servers) {
      const first = server.models[0] ?? 'MODEL';
      checks.push({
        name: `found ${server.kind}`,
        ok: true,
        detail: `${server.baseUrl} serves ${server.models.slice(0, 8).join(', ') || 'no models yet'}`,
        ...(models.catalog.length === 0
          ? {
              fix: `To use it: PARLEY_MODEL_BASE_URL=${server.baseUrl} PARLEY_MODEL=${first} parley start`,
            }
          : {}),
      });
    }
  }
  return checks;
}
