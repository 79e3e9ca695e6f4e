/**
 * The app as the build's decisions see it: read once, before any decision, by
 * effects/read-app.ts. Decisions never go back to disk.
 */
export interface App {
  dir: string;
  /** Regular files (or links to them) at the top level. */
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
  /** Executable files: those at the top level, and those read below it. */
  executables: ReadonlySet<string>;
  /** App-relative path → contents, for every file a decision reads (top level and below). */
  contents: ReadonlyMap<string, string>;
  /** App-relative directory → the names in it, for the directories decisions list. */
  listings: ReadonlyMap<string, readonly string[]>;
  /** Files read whose bytes are not all UTF-8 → their (1-based) lines that are not; `contents` has U+FFFD there. */
  notUtf8?: ReadonlyMap<string, readonly number[]>;
}

/** Top-level files whose contents decisions read; anything else at the top is looked at by name. */
export const TOP_LEVEL_FILES = [
  '.python-version',
  'runtime.txt',
  'pyproject.toml',
  'Pipfile',
  'uv.lock',
  'requirements.txt',
  'setup.py',
  'setup.cfg',
  'Procfile',
  'manage.py',
  'wsgi.py',
] as const;

/** Vendored wheels: `vendor/` (Paketo's convention) or warpdrive's `.warpdrive/wheelhouse`. */
export const WHEELHOUSE_DIRS = ['vendor', '.warpdrive/wheelhouse'] as const;

/** What a decision needs read beyond the top level: files and directory listings, app-relative. */
export interface AppReads {
  files: string[];
  dirs: string[];
}

/**
 * An app in memory, for tests: top-level names become files, every entry's contents is
 * readable, and `listings` stand for directories.
 */
export function appFrom(
  dir: string,
  entries: Record<string, string>,
  extra: { dirs?: string[]; executables?: string[]; listings?: Record<string, string[]> } = {},
): App {
  const names = Object.keys(entries);
  return {
    dir,
    files: new Set(names.filter((n) => !n.includes('/'))),
    dirs: new Set(extra.dirs ?? []),
    executables: new Set(extra.executables ?? []),
    contents: new Map(Object.entries(entries)),
    listings: new Map(Object.entries(extra.listings ?? {})),
  };
}
