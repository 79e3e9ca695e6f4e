/** What the build needs to know about a Django project, read from its source text. */
export interface DjangoProject {
  settingsModule: string;
  /** Path of the settings file relative to the app, when it could be found. */
  settingsPath?: string;
  wsgiApplication?: string;
  staticfiles: boolean;
  staticRootSet: boolean;
  staticUrl?: string;
  whitenoiseMiddleware: boolean;
}

/** The settings module manage.py names (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x.settings")`). */
export function settingsModuleFromManagePy(text: string): string | undefined {
  return /DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]/.exec(text)?.[1];
}

/** Candidate files for a settings module: `a.b` is `a/b.py` or `a/b/__init__.py`. */
export function settingsPaths(module: string): string[] {
  const base = module.replaceAll('.', '/');
  return [`${base}.py`, `${base}/__init__.py`];
}

function stringSetting(text: string, name: string): string | undefined {
  return new RegExp(`^${name}\\s*=\\s*['"]([^'"]+)['"]`, 'm').exec(text)?.[1];
}

/**
 * Reads the settings the build acts on. Settings are Python, so this is a best effort
 * on the common literal forms; collectstatic itself asks Django for the truth.
 */
export function readDjangoSettings(settingsModule: string, settingsPath: string | undefined, text: string): DjangoProject {
  const wsgiApplication = stringSetting(text, 'WSGI_APPLICATION');
  const staticUrl = stringSetting(text, 'STATIC_URL');
  return {
    settingsModule,
    ...(settingsPath ? { settingsPath } : {}),
    ...(wsgiApplication ? { wsgiApplication } : {}),
    staticfiles: /['"]django\.contrib\.staticfiles['"]/.test(text),
    staticRootSet: /^STATIC_ROOT\s*=/m.test(text),
    ...(staticUrl ? { staticUrl } : {}),
    whitenoiseMiddleware: /whitenoise\.middleware\.WhiteNoiseMiddleware/.test(text),
  };
}
