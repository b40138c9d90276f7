import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { openDatabase } from '../../db/client';
import { loadConfig, publicUrl } from '../config';
import type { Role } from '../domain/roles';
import { enrolPerson } from '../services/people';
import { runMain } from './run';

const usage = 'usage: npm run person:create -- --email you@example.com --name "Your Name" --merchant "Shop ApS" [--role owner|bookkeeper|viewer|operator] [--shop <shopId>]';
const roles: Role[] = ['owner', 'bookkeeper', 'viewer', 'operator'];

/**
 * Creates a person (and their merchant when new) and prints the reset link through which they choose a password:
 * how the first person of an installation comes to be. Uses DATABASE_URL, or the embedded PGlite of `npm run dev`
 * (which must be stopped first: PGlite serves one process).
 */
runMain(async () => {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, merchant: { type: 'string' }, role: { type: 'string', default: 'owner' }, shop: { type: 'string' } },
  });
  const role = values.role as Role;
  if (!values.email || !values.name || !roles.includes(role)) {
    console.error(usage);
    process.exit(2);
  }
  const config = loadConfig();
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'pglite') });
  try {
    await database.migrate();
    const result = await enrolPerson(database.db, publicUrl(config), { email: values.email, name: values.name, merchant: values.merchant, role, shopId: values.shop });
    if (!result.ok) {
      console.error(`Not created: ${result.reason}.\n${usage}`);
      process.exitCode = 1;
      return;
    }
    console.log(`${result.merchantCreated ? `Merchant ${values.merchant} created (${result.merchantId}).\n` : ''}Person ${values.email} created (${result.personId}, ${role}).
Reset link (valid 24 hours, once; the person chooses a password there):
  ${result.resetLink}`);
  } finally {
    await database.close();
  }
  process.exit(process.exitCode ?? 0);
});
