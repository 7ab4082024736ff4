import { join } from 'node:path';
import type { Command } from 'commander';
import { readServerSettings } from '../../config/server-settings.js';
import { downloadModel, type DownloadProgress } from '../../models/local/download-model.js';
import { ModelLibrary } from '../../models/local/model-library.js';
import { RECOMMENDED_MODELS, resolveModelSource } from '../../models/local/model-sources.js';

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** A progress line: a bar on a terminal, a line every 10% otherwise (logs, CI). */
function progressPrinter(stream: NodeJS.WriteStream) {
  let lastTenth = -1;
  return (progress: DownloadProgress) => {
    const { receivedBytes, totalBytes } = progress;
    const fraction = totalBytes ? receivedBytes / totalBytes : null;
    if (stream.isTTY) {
      const width = 30;
      const filled = fraction === null ? 0 : Math.round(fraction * width);
      const bar = fraction === null ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
      stream.write(
        `\r  ${bar}${megabytes(receivedBytes)}${totalBytes ? ` of ${megabytes(totalBytes)}` : ''}   `,
      );
      return;
    }
    const tenth =
      fraction === null ? Math.floor(receivedBytes / 10_485_760) : Math.floor(fraction * 10);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      stream.write(
        `  ${fraction === null ? '' : `${tenth * 10}% `}${megabytes(receivedBytes)}${totalBytes ? ` of ${megabytes(totalBytes)}` : ''}\n`,
      );
    }
  };
}

/** `parley model pull <name | hf:owner/repo/file.gguf | https URL>` and `parley model list`. */
export function registerModelCommand(program: Command): void {
  const model = program
    .command('model')
    .description('Local models run by Parley itself (GGUF files)');

  model
    .command('pull')
    .argument(
      '<source>',
      `a recommended model (${Object.keys(RECOMMENDED_MODELS).join(', ')}), hf:<owner>/<repo>/<file>.gguf, or an https URL`,
    )
    .option(
      '--sha256 <hex>',
      'expected SHA-256 of the file (Hugging Face sends it; other servers may not)',
    )
    .description('Download a model with progress and resume, verify it and record it')
    .action(async (source: string, options: { sha256?: string }) => {
      const settings = readServerSettings(process.env);
      // The hub address is a setting for mirrors (and tests); the default is Hugging Face.
      const resolved = resolveModelSource(source, settings.modelDownloads.hubUrl ?? undefined);
      const library = new ModelLibrary(join(settings.dataDir, 'models'));
      const destination = join(library.folder, resolved.fileName);
      process.stderr.write(`Pulling ${resolved.name} from ${resolved.url}\n`);
      const result = await downloadModel({
        url: resolved.url,
        destination,
        sha256: options.sha256,
        onProgress: progressPrinter(process.stderr),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      await library.record({
        name: resolved.name,
        file: resolved.fileName,
        source,
        size: result.size,
        sha256: result.sha256,
        pulledAt: new Date().toISOString(),
      });
      process.stdout.write(
        [
          `Pulled ${resolved.name} (${megabytes(result.size)}, sha256 ${result.sha256}) into ${library.folder}`,
          'Use it in the business file:',
          '  models:',
          `    catalog: { local: { provider: embedded, model: ${resolved.name} } }`,
          '    tasks: { customer-replies: local }',
          '',
        ].join('\n'),
      );
    });

  model
    .command('list')
    .description('Models pulled into this installation')
    .action(async () => {
      const settings = readServerSettings(process.env);
      const library = new ModelLibrary(join(settings.dataDir, 'models'));
      const models = await library.list();
      if (models.length === 0) {
        process.stdout.write(
          `No local models yet. Pull one: parley model pull qwen2.5-0.5b-instruct (${RECOMMENDED_MODELS['qwen2.5-0.5b-instruct']!.note})\n`,
        );
        return;
      }
      for (const entry of models) {
        process.stdout.write(
          `${entry.name}\t${megabytes(entry.size)}\t${entry.file}\tsha256 ${entry.sha256.slice(0, 16)}…\tfrom ${entry.source}\n`,
        );
      }
    });
}
