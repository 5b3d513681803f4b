import { Client } from '@temporalio/client';
import type { ClientConfig } from '../config';
import { connectClient } from '../temporal/connection';
import { dataConverter } from '../temporal/dataconverter';

/**
 * Connects a Temporal client for one command and closes the connection afterwards. It encrypts and
 * decrypts payloads exactly as the workers do (`temporal.encryption`).
 */
export async function withClient<T>(cfg: ClientConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await connectClient(cfg.temporal);
  try {
    return await fn(new Client({ connection, namespace: cfg.temporal.namespace, dataConverter: dataConverter(cfg.temporal) }));
  } finally {
    await connection.close();
  }
}
