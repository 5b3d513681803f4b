import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalConfig } from '../config';

type TlsOption = NonNullable<ConnectionOptions['tls']>;

function tlsOptions(cfg: TemporalConfig): TlsOption | undefined {
  const t = cfg.tls;
  const wanted = t?.enabled ?? (Boolean(cfg.apiKey) || Boolean(t?.clientCertPath) || Boolean(t?.serverRootCaCertPath));
  if (!wanted) return undefined;
  return {
    serverNameOverride: t?.serverName,
    serverRootCACertificate: t?.serverRootCaCertPath ? readFileSync(t.serverRootCaCertPath) : undefined,
    clientCertPair:
      t?.clientCertPath && t.clientKeyPath
        ? { crt: readFileSync(t.clientCertPath), key: readFileSync(t.clientKeyPath) }
        : undefined,
  };
}

/**
 * An API key is a bearer credential: sent without TLS (temporal.tls.enabled false), anyone on the path
 * can read and replay it. Allowed, for a proxy that terminates TLS next to the worker, but said at start-up.
 */
export function insecureApiKeyWarning(cfg: TemporalConfig): string | undefined {
  if (!cfg.apiKey || tlsOptions(cfg) !== undefined) return undefined;
  return `temporal.apiKey is sent to ${cfg.address} without TLS (temporal.tls.enabled is false): anyone on the network path can read it`;
}

/** Options shared by the client and the worker: address, TLS (mTLS or Temporal Cloud) and API key. */
export function connectionOptions(cfg: TemporalConfig): ConnectionOptions & NativeConnectionOptions {
  return {
    address: cfg.address,
    tls: tlsOptions(cfg),
    apiKey: cfg.apiKey?.reveal(),
  };
}

export async function connectClient(cfg: TemporalConfig): Promise<Connection> {
  return Connection.connect({ ...connectionOptions(cfg), connectTimeout: '10s' });
}

export async function connectWorker(cfg: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(cfg));
}
