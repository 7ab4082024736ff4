import { z } from 'zod';
import type { BusinessProfile } from '../core/business.js';
import type { ModelsSettings } from '../core/model-settings.js';
import type { ShopifySettings } from '../core/shopify-sync.js';
import type { ZendeskSettings } from '../core/helpdesk.js';
import type { BusinessInput, ProductInput, ServiceInput } from '../core/store.js';
import type { MetaChannelAccounts } from '../core/meta-accounts.js';
import type { BusinessToolsConfig } from './business-tools-config.js';
import { businessToolsSections, toBusinessToolsConfig } from './business-tools-config.js';
import { describeValue } from './describe-value.js';
import {
  currencyCode,
  flag,
  httpUrl,
  languageTag,
  optionalText,
  origin,
  requireUnique,
  requiredText,
  slug,
  timeZone,
  wholeNumber,
} from './field-schemas.js';
import {
  instagramSection,
  messengerSection,
  toInstagramAccount,
  toMessengerAccount,
  toWhatsAppAccount,
  whatsappSection,
} from './meta-channel-config.js';
import {
  handoffSection,
  requireZendeskSection,
  toHandoffConfig,
  type HandoffConfig,
} from './handoff-config.js';
import { inboxSection, type InboxConfig } from './inbox-config.js';
import { countryCode, modelsSection, toModelsSettings } from './models-config.js';
import { openingHoursSchema } from './opening-hours.js';
import { priceSchema, toMinorUnits, type Price } from './price.js';
import { shopifySection, toShopifySettings } from './shopify-config.js';
import { toZendeskSettings, zendeskSection } from './zendesk-config.js';

/** How long a model call may take when the file does not say. */
export const DEFAULT_MODEL_TIMEOUT_MS = 30_000;

/** The model endpoint: any OpenAI-compatible server (Ollama, vLLM, llama.cpp, a hosted API). */
export interface ModelSettings {
  baseUrl: string;
  name: string;
  apiKey: string | null;
  timeoutMs: number;
}

export interface WebChannelConfig {
  enabled: boolean;
  greeting: string | null;
  /** Origins allowed to embed the widget; empty means any origin. */
  allowedOrigins: string[];
}

/** The business file, validated and mapped onto the store's input types. */
export interface BusinessConfig {
  business: { slug: string; name: string; profile: BusinessProfile };
  agent: { instructions: string; maxSteps: number; historyMessages: number };
  /** Null: no model configured, customers get menus (a server setting may still supply one). */
  model: ModelSettings | null;
  /** The model gateway: several providers, routes, data classes, budgets (see models-config.ts). */
  models?: ModelsSettings | null;
  /** The web chat, plus the Meta channels the business connected (absent when not). */
  channels: { web: WebChannelConfig } & MetaChannelAccounts;
  faq: Array<{ question: string; answer: string }>;
  products: ProductInput[];
  services: ServiceInput[];
  /** Payments and the link allow-list of the agent's business tools (business-tools-config.ts). */
  businessTools?: BusinessToolsConfig;
  /** The handoff policy and SMTP server (handoff-config.ts); the console may override the policy. */
  handoff?: HandoffConfig;
  /** The team inbox: the response target waits are measured against (inbox-config.ts). */
  inbox?: InboxConfig;
  /** The Shopify store the catalog is synced from (shopify-config.ts); null: none. */
  shopify?: ShopifySettings | null;
  /** The Zendesk account handoffs open tickets in (zendesk-config.ts); null: none. */
  zendesk?: ZendeskSettings | null;
}

const businessSection = z.strictObject({
  slug: slug('slug', 'northside-cycles', 48, 2),
  name: requiredText,
  description: optionalText,
  timezone: timeZone,
  languages: z.array(languageTag).min(1).default(['en']),
  currency: currencyCode,
  website: httpUrl('https://northside-cycles.example').optional(),
  tone: z.string().trim().min(1).default('friendly and concise'),
  openingHours: openingHoursSchema.default({}),
  /** Where the business is based and how many people use it: model licences depend on both. */
  domicile: countryCode.optional(),
  monthlyActiveUsers: wholeNumber(0, 10_000_000_000).optional(),
});

const agentSection = z.strictObject({
  instructions: optionalText,
  maxSteps: wholeNumber(1, 20).default(6),
  historyMessages: wholeNumber(1, 200).default(20),
});

const modelSection = z.strictObject({
  baseUrl: httpUrl('http://localhost:11434/v1'),
  name: requiredText,
  apiKey: requiredText.optional(),
  timeoutMs: wholeNumber(1_000, 600_000).default(DEFAULT_MODEL_TIMEOUT_MS),
});

const channelsSection = z.strictObject({
  web: z
    .strictObject({
      enabled: flag.default(true),
      greeting: requiredText.optional(),
      allowedOrigins: z.array(origin).default([]),
    })
    .prefault({}),
  whatsapp: whatsappSection.optional(),
  messenger: messengerSection.optional(),
  instagram: instagramSection.optional(),
});

const faqEntry = z.strictObject({ question: requiredText, answer: requiredText });

const optionValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

const variant = z
  .strictObject({
    // A product with one variant needs no variant title.
    title: z.string().trim().min(1).default('Default'),
    sku: requiredText.optional(),
    options: z.record(z.string(), optionValue).default({}),
    price: priceSchema,
    compareAtPrice: priceSchema.nullish(),
    stock: wholeNumber(0, 1_000_000_000).nullish(),
  })
  .superRefine((value, context) => {
    if (value.compareAtPrice != null && Number(value.compareAtPrice) <= Number(value.price)) {
      context.addIssue({
        code: 'custom',
        path: ['compareAtPrice'],
        input: value.compareAtPrice,
        message: `${value.compareAtPrice} is not more than the price ${value.price}. The compare-at price is the old, higher price shown crossed out; raise it or remove it.`,
      });
    }
  });

const product = z.strictObject({
  handle: slug('product handle', 'road-bike', 100),
  title: requiredText,
  description: optionalText,
  category: requiredText.nullish(),
  tags: z.array(requiredText).default([]),
  status: z
    .enum(['active', 'draft', 'archived'], {
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : `${describeValue(issue.input)} is not a product status. Use active, draft or archived.`,
    })
    .default('active'),
  variants: z
    .array(variant)
    .min(1)
    .superRefine((variants, context) => requireUnique(variants, context, 'title', 'variant')),
});

const service = z.strictObject({
  slug: slug('service slug', 'basic-tune-up', 100),
  name: requiredText,
  description: optionalText,
  durationMinutes: wholeNumber(5, 600),
  bufferMinutes: wholeNumber(0, 240).default(0),
  price: priceSchema,
});

const fileSchema = z.strictObject({
  business: businessSection,
  agent: agentSection.prefault({}),
  model: modelSection.nullish(),
  models: modelsSection.optional(),
  handoff: handoffSection,
  inbox: inboxSection,
  channels: channelsSection.prefault({}),
  faq: z.array(faqEntry).default([]),
  products: z
    .array(product)
    .default([])
    .superRefine((products, context) => {
      requireUnique(products, context, 'handle', 'product');
      const skus = new Set<string>();
      products.forEach((item, productIndex) =>
        item.variants.forEach((entry, variantIndex) => {
          if (entry.sku === undefined) return;
          if (skus.has(entry.sku)) {
            context.addIssue({
              code: 'custom',
              path: [productIndex, 'variants', variantIndex, 'sku'],
              input: entry.sku,
              message: `${describeValue(entry.sku)} is already the SKU of another variant. Give each variant its own SKU, or leave it out.`,
            });
          }
          skus.add(entry.sku);
        }),
      );
    }),
  services: z
    .array(service)
    .default([])
    .superRefine((services, context) => requireUnique(services, context, 'slug', 'service')),
  ...businessToolsSections,
  shopify: shopifySection.optional(),
  zendesk: zendeskSection.optional(),
});

type FileShape = z.output<typeof fileSchema>;

/**
 * The schema of a business's YAML file (camelCase keys; unknown keys are errors). Its output is a
 * `BusinessConfig` with prices in minor units of the business's currency. Parse with
 * `configErrorMap` (see `parseBusinessConfig`) for messages written for the owner.
 */
export const businessConfigSchema = fileSchema.transform((file, context): BusinessConfig =>
  toBusinessConfig(file, context),
);

/** The store input for the business row: the profile plus the agent's instructions. */
export function toBusinessInput(config: BusinessConfig): BusinessInput {
  return { ...config.business, instructions: config.agent.instructions };
}

function toBusinessConfig(file: FileShape, context: z.RefinementCtx): BusinessConfig {
  const { currency } = file.business;
  // Prices convert only now: how many decimals a price may have depends on the currency.
  const minorUnits = (price: Price, path: Array<string | number>): number => {
    const result = toMinorUnits(price, currency);
    if (result.ok) return result.minor;
    context.addIssue({ code: 'custom', path, input: price, message: result.message });
    return 0;
  };
  const { slug: businessSlug, name, ...profile } = file.business;
  const handoff = toHandoffConfig(file.handoff, currency, context);
  if (!file.zendesk) requireZendeskSection(handoff.policy, context);
  return {
    business: {
      slug: businessSlug,
      name,
      profile: {
        description: profile.description,
        timezone: profile.timezone,
        languages: profile.languages,
        currency: profile.currency,
        openingHours: profile.openingHours,
        tone: profile.tone,
        ...(profile.website === undefined ? {} : { website: profile.website }),
        ...(profile.domicile === undefined ? {} : { domicile: profile.domicile }),
        ...(profile.monthlyActiveUsers === undefined
          ? {}
          : { monthlyActiveUsers: profile.monthlyActiveUsers }),
      },
    },
    agent: file.agent,
    model: file.model
      ? {
          baseUrl: file.model.baseUrl,
          name: file.model.name,
          apiKey: file.model.apiKey ?? null,
          timeoutMs: file.model.timeoutMs,
        }
      : null,
    models: file.models ? toModelsSettings(file.models) : null,
    handoff,
    inbox: file.inbox,
    channels: {
      web: {
        enabled: file.channels.web.enabled,
        greeting: file.channels.web.greeting ?? null,
        allowedOrigins: file.channels.web.allowedOrigins,
      },
      // Only connected channels appear, so a file without them maps to just `{ web }`.
      ...(file.channels.whatsapp ? { whatsapp: toWhatsAppAccount(file.channels.whatsapp) } : {}),
      ...(file.channels.messenger
        ? { messenger: toMessengerAccount(file.channels.messenger) }
        : {}),
      ...(file.channels.instagram
        ? { instagram: toInstagramAccount(file.channels.instagram) }
        : {}),
    },
    faq: file.faq,
    products: file.products.map((item, productIndex) => ({
      handle: item.handle,
      title: item.title,
      description: item.description,
      category: item.category ?? null,
      tags: item.tags,
      status: item.status,
      variants: item.variants.map((entry, variantIndex) => {
        const path = ['products', productIndex, 'variants', variantIndex];
        return {
          title: entry.title,
          sku: entry.sku ?? null,
          options: entry.options,
          priceMinor: minorUnits(entry.price, [...path, 'price']),
          compareAtMinor:
            entry.compareAtPrice == null
              ? null
              : minorUnits(entry.compareAtPrice, [...path, 'compareAtPrice']),
          stock: entry.stock ?? null,
        };
      }),
    })),
    services: file.services.map((entry, index) => ({
      slug: entry.slug,
      name: entry.name,
      description: entry.description,
      durationMinutes: entry.durationMinutes,
      bufferMinutes: entry.bufferMinutes,
      priceMinor: minorUnits(entry.price, ['services', index, 'price']),
    })),
    businessTools: toBusinessToolsConfig(file),
    shopify: file.shopify ? toShopifySettings(file.shopify) : null,
    zendesk: file.zendesk ? toZendeskSettings(file.zendesk) : null,
  };
}
