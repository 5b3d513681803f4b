import { Client } from '@temporalio/client';
import type { ClientConfig } from '../config';
import { connectClient } from '../temporal/connection';

/** Connects a Temporal client for one command and closes the connection afterwards. */
export async function withClient<T>(cfg: ClientConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await connectClient(cfg.temporal);
  try {
    return await fn(new Client({ connection, namespace: cfg.temporal.namespace }));
  } finally {
    await connection.close();
  }
}
