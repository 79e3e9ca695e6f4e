import type { App, AppReads } from './app.js';
import { parseEnvLines } from './python-source.js';

// warpdrive's action hooks (.warpdrive/action_hooks/<name>, executable files), kept working.
const HOOKS_DIR = '.warpdrive/action_hooks';
const ENVIRONMENT = '.warpdrive/environment';
/** Hooks that become process types of the image, as `warpdrive migrate` etc. ran them. */
const PROCESS_HOOKS = ['migrate', 'setup', 'alive', 'ready'] as const;
const BUILD_HOOKS = ['pre-build', 'build', 'build-env'] as const;
const DEPLOY_HOOKS = ['deploy-env', 'deploy'] as const;
const ALL_HOOKS: readonly string[] = [...BUILD_HOOKS, ...DEPLOY_HOOKS, ...PROCESS_HOOKS];

export interface HooksPlan {
  /** Hook name → app-relative path, for the executable hooks found. */
  hooks: Partial<Record<(typeof BUILD_HOOKS)[number] | (typeof DEPLOY_HOOKS)[number], string>>;
  /** Process type → the hook it runs. */
  processes: Record<string, string>;
  /** `.warpdrive/environment`: variables for the build steps and the running app. */
  environment: Record<string, string>;
  /** Hooks that exist but cannot run (warpdrive warned about these too). */
  notExecutable: string[];
}

export function hooksReads(app: App): AppReads {
  const names = (app.listings.get(HOOKS_DIR) ?? []).filter((n) => ALL_HOOKS.includes(n));
  return { files: [ENVIRONMENT, ...names.map((n) => `${HOOKS_DIR}/${n}`)], dirs: [HOOKS_DIR] };
}

export function planHooks(app: App): HooksPlan {
  const plan: HooksPlan = { hooks: {}, processes: {}, environment: parseEnvLines(app.contents.get(ENVIRONMENT) ?? ''), notExecutable: [] };
  for (const name of ALL_HOOKS) {
    const path = `${HOOKS_DIR}/${name}`;
    if (!app.contents.has(path)) continue;
    if (!app.executables.has(path)) {
      plan.notExecutable.push(path);
      continue;
    }
    if ((PROCESS_HOOKS as readonly string[]).includes(name)) plan.processes[name] = path;
    else plan.hooks[name as keyof HooksPlan['hooks']] = path;
  }
  return plan;
}
