import { modelsSection, toModelsSettings } from '../../../src/config/models-config.js';
import { ManualClock } from '../../../src/core/clock.js';
import type { Store } from '../../../src/core/store.js';
import { ModelGateway, type ModelGatewayDependencies } from '../../../src/models/model-gateway.js';
import { createDrizzleStore } from '../../../src/store/drizzle-store.js';
import { openTestDatabase, type Backend, type TestDatabase } from '../../support/test-database.js';

export interface GatewayWorld {
  database: TestDatabase;
  store: Store;
  clock: ManualClock;
  businessId: string;
  contactId: string;
  /** A gateway over the `models:` section given as it would be written in the YAML file. */
  gateway(models: unknown, overrides?: Partial<ModelGatewayDependencies>): ModelGateway;
  close(): Promise<void>;
}

/** A migrated database with one business and one contact (Ana Costa), and a gateway factory. */
export async function openGatewayWorld(backend: Backend): Promise<GatewayWorld> {
  const database = await openTestDatabase(backend);
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const store = createDrizzleStore(database.db, { clock });
  const business = await store.businesses.upsert({
    slug: 'gateway-shop',
    name: 'Gateway Shop',
    instructions: '',
    profile: {
      description: '',
      timezone: 'Europe/Madrid',
      languages: ['en'],
      currency: 'EUR',
      openingHours: {},
      tone: 'friendly',
    },
  });
  const contact = await store.contacts.findOrCreateByIdentity(
    business.id,
    { channel: 'web', externalId: 'visitor-ana' },
    { displayName: 'Ana Costa' },
  );
  const gateways: ModelGateway[] = [];
  return {
    database,
    store,
    clock,
    businessId: business.id,
    contactId: contact.id,
    gateway(models, overrides = {}) {
      const gateway = new ModelGateway({
        businessId: business.id,
        settings: toModelsSettings(modelsSection.parse(models)),
        ledger: store.modelCalls,
        knownNames: async (contactId) => {
          const found = await store.contacts.getById(business.id, contactId);
          return found?.displayName ? [found.displayName] : [];
        },
        clock,
        timeZone: 'Europe/Madrid',
        ...overrides,
      });
      gateways.push(gateway);
      return gateway;
    },
    async close() {
      await Promise.all(gateways.map((gateway) => gateway.close()));
      await database.destroy();
    },
  };
}
