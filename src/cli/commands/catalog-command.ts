import type { Command } from 'commander';
import { syncBusinessConfig } from '../../config/sync-business-config.js';
import { ParleyError } from '../../core/errors.js';
import { syncShopifyCatalog } from '../../tools/catalog-sync/sync-shopify-catalog.js';
import { loadStartup } from '../load-startup.js';
import { openStore } from '../open-store.js';

export function registerCatalogCommand(program: Command): void {
  const catalog = program.command('catalog').description("Manage the business's product catalog");
  catalog
    .command('sync')
    .description(
      "Pull every product from the business's Shopify store (the business file's shopify section): created or updated in place, products gone from Shopify archived",
    )
    .option(
      '-c, --config <file>',
      'business YAML file (default: PARLEY_CONFIG, else the demo shop)',
    )
    .action(async (options: { config?: string }) => {
      const startup = await loadStartup(options);
      const { config } = startup;
      if (!config.shopify) {
        throw new ParleyError(
          'config_invalid',
          `${startup.configPath} has no shopify section. Add one with shop (the myshopify.com domain), accessToken (such as \${SHOPIFY_ACCESS_TOKEN}) and apiVersion, then run this again.`,
        );
      }
      const { store, database } = await openStore(startup.settings);
      try {
        // As `parley start` does: the business file is the source of the business's settings.
        const business = await syncBusinessConfig(store, config);
        const result = await syncShopifyCatalog(
          { store },
          business.id,
          config.shopify,
          business.profile.currency,
        );
        process.stdout.write(
          `Synced ${config.shopify.shop} (${result.pages} page${result.pages === 1 ? '' : 's'}): ${result.created} created, ${result.updated} updated, ${result.archived} archived, ${result.images} images seen.\n`,
        );
        for (const issue of result.issues) {
          process.stdout.write(
            `  not synced: ${issue.handle ?? `product ${issue.shopifyId}`}: ${issue.message}\n`,
          );
        }
      } finally {
        await database.close();
      }
    });
}
