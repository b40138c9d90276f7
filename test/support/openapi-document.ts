import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { buildApp } from '../../src/api/app';

export interface OpenApiDocument {
  paths: Record<string, Record<string, { description?: string; requestBody?: { content: Record<string, { schema?: unknown }> } }>>;
}

/**
 * The API's OpenAPI document, from the app built but never connected: building registers the routes and needs
 * neither the database nor Temporal, so unit tests can read it.
 */
export async function openApiDocument(): Promise<OpenApiDocument> {
  const app = await buildApp({ db: {} as Db, temporal: {} as Client, taskQueue: 'unused', adminApiKey: 'x'.repeat(24) });
  try {
    await app.ready();
    return app.swagger() as OpenApiDocument;
  } finally {
    await app.close();
  }
}
