import { Client, Connection } from '@temporalio/client';
import { openDatabase } from '../../db/client';
import { buildApp } from '../api/app';
import { loadConfig, publicUrl, temporalUiUrl } from '../config';
import { CredentialBox } from '../crypto/credentials';
import { loggerOptions } from '../logger';
import { temporalDataConverter } from '../temporal/data-converter';
import { runMain } from './run';

runMain(async () => {
  const config = loadConfig(process.env, ['DATABASE_URL', 'ADMIN_API_KEY']);
  const database = await openDatabase({ url: config.DATABASE_URL });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: temporalDataConverter(config) });
  const credentials = config.CREDENTIALS_KEY ? new CredentialBox(config.CREDENTIALS_KEY) : undefined;
  const app = await buildApp({
    db: database.db,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    adminApiKey: config.ADMIN_API_KEY!,
    credentials,
    fetchPayoutsEveryMinutes: config.FETCH_PAYOUTS_EVERY_MINUTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    workLimits: { perRequest: config.WORK_PER_REQUEST, runningPerShop: config.RUNNING_WORK_PER_SHOP },
    rateLimitPerAddressPerMinute: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    testEndpoints: config.TEST_ENDPOINTS,
    publicUrl: publicUrl(config),
    logResetLinks: config.LOG_RESET_LINKS ?? false,
    logger: loggerOptions(config.LOG_LEVEL),
    temporalUi: { url: temporalUiUrl(config), namespace: config.TEMPORAL_NAMESPACE },
  });
  await app.listen({ host: config.HOST, port: config.PORT });
  return async () => {
    await app.close();
    await connection.close();
    await database.close();
  };
});
