import { Client } from '@temporalio/client';
import type { ClientConfig } from '../config';
import { connectClient, insecureApiKeyWarning } from '../temporal/connection';
import { dataConverter } from '../temporal/dataconverter';

/**
 * Connects a Temporal client for one command and closes the connection afterwards. It encrypts and
 * decrypts payloads exactly as the workers do (`temporal.encryption`).
 */
export async function withClient<T>(cfg: ClientConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  // The CLI sends the key as the worker does, so it warns as the worker does (on stderr: stdout may be --json).
  const insecure = insecureApiKeyWarning(cfg.temporal);
  if (insecure) process.stderr.write(`warning: ${insecure}\n`);
  const connection = await connectClient(cfg.temporal);
  try {
    return await fn(new Client({ connection, namespace: cfg.temporal.namespace, dataConverter: dataConverter(cfg.temporal) }));
  } finally {
    await connection.close();
  }
}
