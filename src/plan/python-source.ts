// What a Python file does, read from its text (never imported at build time): whether it
// starts a server itself, and which module-level WSGI app or factory it defines.

/** Does a module bind `name` at its top level (assignment, def, class or import)? */
export function definesName(source: string, name: string): boolean {
  const patterns = [
    `^${name}\\s*(?::[^=\\n]*)?=`,
    `^(?:async\\s+)?def\\s+${name}\\b`,
    `^class\\s+${name}\\b`,
    `^(?:from\\s+\\S+\\s+)?import\\s+[^#\\n]*\\b${name}\\b`,
  ];
  return patterns.some((p) => new RegExp(p, 'm').test(source));
}

const MAIN_GUARD = /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m;
/** Calls that start a server: Flask/Bottle's run, waitress' serve, wsgiref, werkzeug, asyncio/uvicorn runners. */
const SERVING_CALL = /\b(?:run|serve|serve_forever|run_simple|make_server|run_app|run_wsgi)\s*\(/;

/** Module-level lines only: a top-level call is one that is not indented. */
function topLevelLines(source: string): string[] {
  return source.split(/\r?\n/).filter((l) => /^\S/.test(l) && !l.startsWith('#'));
}

/** The file starts serving when run: a `__main__` block, or a top-level call to a serving function. */
export function startsItself(source: string): boolean {
  if (MAIN_GUARD.test(source)) return true;
  return topLevelLines(source).some((l) => !/^(def|class|async\s+def|@)\b/.test(l) && SERVING_CALL.test(l));
}

/** Constructors of WSGI application objects in the frameworks people start with. */
const WSGI_OBJECT =
  /^(\w+)\s*(?::[^=\n]*)?=\s*(?:flask\.)?Flask\(|^(\w+)\s*(?::[^=\n]*)?=\s*falcon\.(?:App|API)\(|^(\w+)\s*(?::[^=\n]*)?=\s*(?:bottle\.)?Bottle\(|^(\w+)\s*(?::[^=\n]*)?=\s*\w+\.make_wsgi_app\(\)/m;
const FACTORIES = ['create_app', 'make_app'] as const;

/** ASGI frameworks' application constructors (and Django's ASGI handler). */
const ASGI_CONSTRUCTORS = ['FastAPI', 'Starlette', 'Quart', 'Litestar', 'get_asgi_application'];
const ASGI_OBJECT = new RegExp(`^(\\w+)\\s*(?::[^=\\n]*)?=\\s*(?:\\w+\\.)*(?:${ASGI_CONSTRUCTORS.join('|')})\\(`, 'gm');
const ASGI_IMPORT = /^\s*(?:from|import)\s+(fastapi|starlette|quart|litestar)\b/m;

export type Interface = 'wsgi' | 'asgi';
export interface AppDefinition {
  callable: string;
  factory: boolean;
  interface: Interface;
}

/** Names bound at the top level to an ASGI framework's app. */
function asgiObjects(source: string): string[] {
  return [...source.matchAll(ASGI_OBJECT)].map((m) => m[1] ?? '');
}

/**
 * The app a module defines at its top level: an ASGI framework's app (FastAPI, Starlette, Quart,
 * Litestar, Django's get_asgi_application()), `application` or `app`, or another name bound to a
 * Flask/Falcon/Bottle/Pyramid app; else an app factory (`create_app()`, `make_app()`), ASGI when
 * the module imports an ASGI framework.
 */
export function appDefinition(source: string): AppDefinition | undefined {
  const asgi = asgiObjects(source);
  for (const name of ['application', 'app']) {
    if (definesName(source, name)) return { callable: name, factory: false, interface: asgi.includes(name) ? 'asgi' : 'wsgi' };
  }
  if (asgi[0]) return { callable: asgi[0], factory: false, interface: 'asgi' };
  const framework = WSGI_OBJECT.exec(source);
  const named = framework?.slice(1).find((g) => g !== undefined);
  if (named) return { callable: named, factory: false, interface: 'wsgi' };
  const factory = FACTORIES.find((f) => new RegExp(`^(?:async\\s+)?def\\s+${f}\\s*\\(`, 'm').test(source));
  return factory ? { callable: factory, factory: true, interface: ASGI_IMPORT.test(source) ? 'asgi' : 'wsgi' } : undefined;
}

/** `wsgi_app = "module:callable"` in a gunicorn config file, when it is a string literal. */
export function gunicornWsgiApp(source: string): string | undefined {
  return /^wsgi_app\s*=\s*['"]([\w.]+:[\w.]+(?:\(\))?)['"]/m.exec(source)?.[1];
}

/** `NAME=value` lines (s2i's .s2i/environment, warpdrive's .warpdrive/environment): comments and blanks skipped. */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match?.[1] || line.startsWith('#')) continue;
    env[match[1]] = (match[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}
