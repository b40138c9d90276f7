import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Danish, Norwegian Bokmål and English. One namespace per page (`locales/<lang>/<page>.json`), loaded eagerly by
 * Vite's glob import: each page's texts sit in one small file, next to the other languages' versions of it.
 */
export const languages = [
  { code: 'da', name: 'Dansk', locale: 'da-DK' },
  { code: 'nb', name: 'Norsk bokmål', locale: 'nb-NO' },
  { code: 'en', name: 'English', locale: 'en-GB' },
] as const;
export type Language = (typeof languages)[number]['code'];

const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, module] of Object.entries(files)) {
  const [, lang, ns] = /\.\/locales\/(\w+)\/([\w-]+)\.json$/.exec(path) ?? [];
  if (!lang || !ns) continue;
  (resources[lang] ??= {})[ns] = module.default;
}

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('lb.language') : null;
const fromBrowser = typeof navigator !== 'undefined' ? navigator.language.slice(0, 2) : 'en';
const initial = languages.find((l) => l.code === stored)?.code ?? languages.find((l) => l.code === (fromBrowser === 'no' || fromBrowser === 'nn' ? 'nb' : fromBrowser))?.code ?? 'en';

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: 'en',
  defaultNS: 'common',
  interpolation: { escapeValue: false },
});

export function setLanguage(code: Language) {
  localStorage.setItem('lb.language', code);
  void i18n.changeLanguage(code);
  document.documentElement.lang = code;
}

/** The Intl locale of the chosen language (money and dates follow the language the person reads). */
export function currentLocale(): string {
  return languages.find((l) => l.code === i18n.language)?.locale ?? 'en-GB';
}

export default i18n;
