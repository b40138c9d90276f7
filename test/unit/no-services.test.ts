import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

/**
 * The unit project runs anywhere in seconds: no database, no Temporal. A test that needs one belongs under
 * test/integration, which starts them once per run with timeouts for a loaded machine. (Vendor-shaped HTTP fakes
 * in the test's own process are fine: they are part of the test.)
 */
const serviceModules = [
  /\/db\/client$/, // opens PostgreSQL or PGlite
  /^@electric-sql\/pglite/,
  /^postgres$/,
  /^@temporalio\/(testing|worker)$/, // dev server, test environment, workers
  /\/src\/temporal\/dev-server$/,
  /\/support\/(harness|stack\/)/,
];

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });

it('no unit test imports what starts a database or Temporal', () => {
  const dir = new URL('.', import.meta.url).pathname;
  const offenders: string[] = [];
  for (const file of files(dir)) {
    // Type-only imports start nothing.
    for (const m of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^;]*? from '([^']+)'|import\('([^']+)'\)/gm)) {
      const from = m[1] ?? m[2]!;
      if (serviceModules.some((re) => re.test(from))) offenders.push(`${relative(dir, file)}: ${from}`);
    }
  }
  expect(offenders, 'move these tests to test/integration').toEqual([]);
});
