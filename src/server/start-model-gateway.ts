import type { Logger } from 'pino';
import type { BusinessConfig } from '../config/business-config.js';
import { withBusinessLicensing } from '../config/business-licensing.js';
import { resolveModelsSettings, withTranscriptionShorthand } from '../config/models-config.js';
import { applyModelOverrides, type ServerSettings } from '../config/server-settings.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../core/store.js';
import { availableParallelism } from 'node:os';
import { createEmbeddedModels } from '../models/local/embedded-models.js';
import { ModelLibrary } from '../models/local/model-library.js';
import { serverCandidates } from '../models/local/discover-model-servers.js';
import { downloadPolicyFrom } from '../models/local/download-policy.js';
import { ModelPuller } from '../models/local/model-puller.js';
import { ModelGateway } from '../models/model-gateway.js';

/**
 * The business's model gateway from its file (`models:`, or the older single `model:` with the
 * environment's overrides). Refuses to start when a configured model's licence excludes the
 * business; logs licence warnings, budget alerts and fallbacks.
 */
export function startModelGateway(input: {
  businessId: string;
  config: BusinessConfig;
  settings: ServerSettings;
  store: Store;
  clock: Clock;
  logger: Logger;
  fetch?: typeof fetch | undefined;
}): ModelGateway {
  const { store, logger, businessId } = input;
  const { models, warnings } = withBusinessLicensing(
    withTranscriptionShorthand(
      resolveModelsSettings(
        input.config.models ?? null,
        applyModelOverrides(input.config, input.settings),
      ),
      input.settings.transcription,
    ),
    input.config,
  );
  for (const warning of warnings) logger.warn(warning);
  // Local GGUF models live in <data dir>/models (see `parley model pull`); workers start lazily.
  const library = new ModelLibrary(`${input.settings.dataDir}/models`);
  const embedded = createEmbeddedModels(library, {
    threads: Math.max(1, availableParallelism() - 1),
  });
  const gateway = new ModelGateway({
    businessId,
    settings: models,
    ledger: store.modelCalls,
    clock: input.clock,
    timeZone: input.config.business.profile.timezone,
    configWarnings: warnings,
    fetch: input.fetch,
    embedded: (entry) => embedded.model(entry),
    embeddedEmbeddings: (entry) => embedded.embeddingModel(entry),
    puller: new ModelPuller(library, {
      policy: downloadPolicyFrom(input.settings.modelDownloads),
      servers: serverCandidates(input.settings.modelServers),
    }),
    dispose: () => embedded.close(),
    async knownNames(contactId) {
      const contact = await store.contacts.getById(businessId, contactId);
      return contact?.displayName ? [contact.displayName] : [];
    },
    onBudgetAlert: (alert) => logger.warn({ alert }, 'model budget nearly spent'),
    onFallback: ({ from, error }) =>
      logger.warn({ model: from, err: error }, 'model failed; trying the next one on the route'),
    onRecordError: (error) => logger.error({ err: error }, 'could not write the egress log'),
  });
  for (const verdict of gateway.licences) {
    if (verdict.status !== 'allowed' || verdict.reasons.length > 0) {
      logger.warn(
        { model: verdict.modelId, reasons: verdict.reasons },
        'model licence: check this',
      );
    }
  }
  return gateway;
}
