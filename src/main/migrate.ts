import { openDatabase } from '../../db/client';
import { loadConfig } from '../config';
import { runMain } from './run';

runMain(async () => {
  const config = loadConfig(process.env, ['DATABASE_URL']);
  const database = await openDatabase({ url: config.DATABASE_URL });
  await database.migrate();
  await database.close();
  console.log('Migrations applied.');
  process.exit(0);
});
