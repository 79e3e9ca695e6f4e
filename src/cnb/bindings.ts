import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isFile, isMissing } from '../effects/fs.js';
import type { Env } from './env.js';

/** A service binding as projected by the Service Binding spec ("Workload Projection"). */
export interface Binding {
  name: string;
  path: string;
  type: string;
  provider?: string;
  /** Every other file of the binding: file name → trimmed content. */
  entries: Record<string, string>;
}

/** `$SERVICE_BINDING_ROOT`, else `<platform>/bindings` (libcnb's order). */
export function bindingsRoot(env: Env, platformDir: string): string {
  return env.SERVICE_BINDING_ROOT || path.join(platformDir, 'bindings');
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

async function readBinding(dir: string, name: string): Promise<Binding | undefined> {
  if (!(await isFile(path.join(dir, 'type')))) return undefined;
  const values: Record<string, string> = {};
  // One level only: dotfiles (Kubernetes' ..data links) and subdirectories are not entries.
  for (const entry of await listDir(dir)) {
    if (entry.startsWith('.') || !(await isFile(path.join(dir, entry)))) continue;
    values[entry] = (await readFile(path.join(dir, entry), 'utf8')).trim();
  }
  const { type = '', provider, ...entries } = values;
  return { name, path: dir, type, ...(provider !== undefined ? { provider } : {}), entries };
}

export async function readBindings(env: Env, platformDir: string): Promise<Binding[]> {
  const root = bindingsRoot(env, platformDir);
  const bindings: Binding[] = [];
  for (const name of await listDir(root)) {
    if (name.startsWith('.')) continue;
    const binding = await readBinding(path.join(root, name), name);
    if (binding) bindings.push(binding);
  }
  return bindings;
}

export function bindingsOfType(bindings: readonly Binding[], type: string): Binding[] {
  return bindings.filter((b) => b.type.toLowerCase() === type.toLowerCase());
}
