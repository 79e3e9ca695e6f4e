// Helpers for the lock readers' unit tests.
import type { LockInput, LockPlan } from './types.js';

/** A fake but well-formed sha256 hex digest, distinct per seed. */
export function sha(seed: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += ((seed.charCodeAt(i % seed.length) + i) % 16).toString(16);
  return out;
}

export function input(
  file: string,
  files: Record<string, string>,
  env: Record<string, string> = {},
  python = '3.11.2',
  arch = 'amd64',
): LockInput {
  return { file, contents: new Map(Object.entries(files)), target: { python, arch }, env };
}

/** "name==version ; marker" per package, sorted: what the generated requirements pin. */
export function pins(plan: LockPlan): string[] {
  return plan.packages.map((p) => `${p.name}==${p.version}${p.marker ? ` ; ${p.marker}` : ''}`).sort();
}
