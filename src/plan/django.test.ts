import {
  collectstaticDisabledBy,
  collectstaticSkipReason,
  parseStaticSettings,
  readDjangoSettings,
  settingsModuleFromManagePy,
  STATIC_SETTINGS_MARKER,
  staticPlan,
} from './django.js';

test.each([
  ['os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")', 'mysite.settings'],
  ["os.environ.setdefault('DJANGO_SETTINGS_MODULE','a.b.c')", 'a.b.c'],
  ['import django', undefined],
])('settings module from manage.py: %s', (text, expected) => expect(settingsModuleFromManagePy(text)).toBe(expected));

test('WSGI_APPLICATION as startproject writes it', () => {
  expect(readDjangoSettings('m.settings', "WSGI_APPLICATION = 'm.wsgi.application'\n")).toEqual({
    settingsModule: 'm.settings',
    wsgiApplication: 'm.wsgi.application',
  });
  expect(readDjangoSettings('m.settings', '# WSGI_APPLICATION = "x"\n')).toEqual({ settingsModule: 'm.settings' });
});

test.each<[Record<string, string>, string | undefined]>([
  [{}, undefined],
  [{ BP_DISABLE_COLLECTSTATIC: 'true' }, 'BP_DISABLE_COLLECTSTATIC'],
  [{ DISABLE_COLLECTSTATIC: '1' }, 'DISABLE_COLLECTSTATIC'],
  [{ DISABLE_COLLECTSTATIC: 'false' }, undefined],
  [{ BP_DISABLE_COLLECTSTATIC: 'yes', DISABLE_COLLECTSTATIC: 'on' }, 'BP_DISABLE_COLLECTSTATIC'],
])('collectstatic disabled by %j: %s', (config, expected) => expect(collectstaticDisabledBy(config)).toBe(expected));

const SETTINGS = { staticfiles: true, root: '', url: '/static/', whitenoiseMiddleware: false };

test('collectstatic is skipped only when Django says staticfiles is not installed', () => {
  expect(collectstaticSkipReason(SETTINGS)).toBeUndefined();
  expect(collectstaticSkipReason({ ...SETTINGS, staticfiles: false })).toBe(
    'Skipping collectstatic: django.contrib.staticfiles is not in INSTALLED_APPS.',
  );
});

test.each<[object, object]>([
  [{}, { url: '/static/', root: '/workspace/staticfiles', byApp: false }],
  [
    { root: '/srv/static', url: 'assets/' },
    { url: 'assets/', root: '/srv/static', byApp: false },
  ],
  [
    { url: '', whitenoiseMiddleware: true },
    { url: '/static/', root: '/workspace/staticfiles', byApp: true },
  ],
])('static plan for %j', (settings, expected) => expect(staticPlan({ ...SETTINGS, ...settings }, '/workspace')).toEqual(expected));

const ANSWER = { staticfiles: true, root: '/app/static', url: '/static/', whitenoiseMiddleware: false };
const answer = `${STATIC_SETTINGS_MARKER}${JSON.stringify(ANSWER)}`;

test.each<[string, string, object | undefined]>([
  ['the answer alone', `\n${answer}\n`, ANSWER],
  ['printed at import and at exit (atexit)', `connecting to db\n\n${answer}\nbye\n`, ANSWER],
  ['JSON-looking output at exit', `\n${answer}\n{"staticfiles": false}\n`, ANSWER],
  ['no answer (os._exit at import)', 'connecting to db\n', undefined],
  ['a cut answer', `\n${answer.slice(0, 40)}`, undefined],
  ['an answer of the wrong shape', `\n${STATIC_SETTINGS_MARKER}{"staticfiles": "yes"}\n`, undefined],
  ['null', `\n${STATIC_SETTINGS_MARKER}null\n`, undefined],
])("Django's static settings from the reader's stdout: %s", (_name, stdout, expected) => {
  expect(parseStaticSettings(stdout)).toEqual(expected);
});
