import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { MemoryStateStore, withDefaults } from '@streamsuites/defaults';
import { createKernel, inspectManifest, SS_ERR_PLUGIN_NOT_INSTALLED, stateStoreRef, type Kernel, type StateStore } from '@streamsuites/kernel';
import { SS_ERR_CLI_USAGE } from '../errors.js';
import { printError, type CliIO } from '../io.js';

type Json = Record<string, any>;

/**
 * The platform package an `auth` command drives, imported on demand (the CLI
 * lists it as an optional peer): not installed is SS_ERR_PLUGIN_NOT_INSTALLED,
 * an old version without the flow a usage error saying to upgrade.
 */
export async function loadAuthApi<T>(command: string, packageName: string, has: (module: Partial<T>) => boolean, flow: string): Promise<T> {
  let module: Partial<T>;
  try {
    module = (await import(packageName)) as Partial<T>;
  } catch (error) {
    throw new SS_ERR_PLUGIN_NOT_INSTALLED(packageName, 'the streamsuites CLI', { cause: error });
  }
  if (!has(module)) throw new SS_ERR_CLI_USAGE(`${command}: the installed ${packageName} has no ${flow} (upgrade it)`);
  return module as T;
}

/** The manifest an `auth` command stores tokens for: `--manifest`, else ./streamsuites.json; it must exist. */
export function authManifestFile(command: string, io: CliIO, flag: string | undefined): string {
  const file = resolve(io.cwd, flag ?? 'streamsuites.json');
  if (!existsSync(file)) throw new SS_ERR_CLI_USAGE(`${command}: manifest not found: ${file} (pass --manifest)`);
  return file;
}

/**
 * The manifest's state store, without creators: every plugin registers (so
 * the store is whichever plugin the manifest chose), nothing starts. A
 * memory store is refused: the tokens would be lost when the command ends.
 */
export async function openAuthStore(command: string, file: string, raw: Json, io: CliIO): Promise<{ kernel: Kernel; store: StateStore }> {
  const inspection = await inspectManifest(file, withDefaults({ env: io.env }));
  if (inspection.manifest === undefined) {
    await createKernel(withDefaults({ manifest: file, env: io.env, logLevel: 'silent' })); // throws the coded list
  }
  const manifest: Json = { ...raw, creators: {} };
  const kernel = await createKernel(withDefaults({ manifest, baseDir: dirname(file), env: io.env, logLevel: 'silent' }));
  const store = kernel.resolve(stateStoreRef);
  if (store instanceof MemoryStateStore) {
    await kernel.stop();
    throw new SS_ERR_CLI_USAGE(`${command}: the manifest keeps state in memory, so the tokens would be lost; add a persistent store (e.g. "store-sqlite": { "package": "@streamsuites/store-sqlite" })`);
  }
  return { kernel, store };
}

/**
 * Runs an `auth` command's work with the manifest's state store opened on
 * demand (`openStore`), then closes it: 0 when all went well, 2 for a usage
 * error, 1 for anything else (printed as a coded error, never a stack trace).
 */
export async function runAuthCommand(
  io: CliIO,
  work: (openStore: (command: string, file: string, raw: Json) => Promise<StateStore>) => Promise<void>,
): Promise<number> {
  let kernel: Kernel | undefined;
  const openStore = async (command: string, file: string, raw: Json) => {
    const opened = await openAuthStore(command, file, raw, io);
    kernel = opened.kernel;
    return opened.store;
  };
  try {
    await work(openStore);
  } catch (error) {
    printError(io, error);
    await kernel?.stop().catch(() => undefined);
    return SS_ERR_CLI_USAGE.is(error) ? 2 : 1;
  }
  try {
    await kernel?.stop();
  } catch (error) {
    printError(io, error);
    return 1;
  }
  return 0;
}
