import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ParleyError } from '../../core/errors.js';

/** A model file Parley downloaded, as recorded in `<models folder>/models.json`. */
export interface PulledModel {
  name: string;
  file: string;
  source: string;
  size: number;
  sha256: string;
  pulledAt: string;
}

/** The models folder (`<data dir>/models`) and its manifest of pulled models. */
export class ModelLibrary {
  constructor(readonly folder: string) {}

  get manifestPath(): string {
    return join(this.folder, 'models.json');
  }

  async list(): Promise<PulledModel[]> {
    try {
      return JSON.parse(await readFile(this.manifestPath, 'utf8')) as PulledModel[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Records a pulled model (replacing one of the same name); written atomically. */
  async record(model: PulledModel): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const models = (await this.list()).filter((entry) => entry.name !== model.name);
    models.push(model);
    const temporary = `${this.manifestPath}.tmp`;
    await writeFile(temporary, `${JSON.stringify(models, null, 2)}\n`);
    await rename(temporary, this.manifestPath);
  }

  /** The file of a model given by pulled name, file name in the folder, or absolute path. */
  async pathOf(model: string): Promise<string> {
    if (isAbsolute(model)) return model;
    const pulled = (await this.list()).find(
      (entry) => entry.name === model || entry.file === model,
    );
    if (pulled) return join(this.folder, pulled.file);
    if (model.endsWith('.gguf')) return join(this.folder, model);
    throw new ParleyError(
      'config_invalid',
      `No local model named ${model}. Run parley model pull ${model} (or parley model list to see what is there).`,
    );
  }
}
