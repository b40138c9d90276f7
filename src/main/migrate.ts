import { openDatabase } from '../../db/client';
import { loadConfig } from '../config';
import { CredentialBox } from '../crypto/credentials';
import { bindSealedSecrets } from '../services/bind-sealed-secrets';
import { runMain } from './run';

/**
 * The upgrade step, run once before the API and the workers start (docker-compose's `migrate`): the schema, then the
 * data the new code expects. With CREDENTIALS_KEY, secrets sealed before they were bound to their shop are sealed
 * again bound, so the API and the workers read only the bound form and need not scan every secret at each start.
 */
runMain(async () => {
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const database = await openDatabase({ url: config.DATABASE_URL });
  await database.migrate();
  console.log('Migrations applied.');
  if (config.CREDENTIALS_KEY) {
    const bound = await bindSealedSecrets(database.db, new CredentialBox(config.CREDENTIALS_KEY));
    console.log(`Sealed secrets bound to their shop: ${bound}.`);
  } else {
    console.log('CREDENTIALS_KEY is not set: sealed secrets were not checked (set it to bind secrets sealed by older versions).');
  }
  await database.close();
  process.exit(0);
});
