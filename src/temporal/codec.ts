import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * End-to-end encryption of Temporal payloads: activity arguments and results carry HR ids, the gate's
 * preview of deactivations and the errors servers answered (employee records stay in the run store), and with this codec on the client and the worker, Temporal's stores (history, visibility of memos,
 * the Web UI) only ever hold ciphertext. Each payload is serialized whole (its metadata too, so even
 * the encoding of the value is hidden), sealed with AES-256-GCM under a fresh 12-byte IV, and carried
 * as `IV | ciphertext | tag` in a new payload whose metadata names the key that sealed it.
 */

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

/** AES-256: keys are 32 bytes. */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

export interface EncryptionKey {
  /** Written into every payload it seals, so a reader knows which key opens it; never secret. */
  id: string;
  /** 32 bytes. */
  key: Uint8Array;
}

export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The key bytes of a base64 key, or the reason it is unusable. The reason never contains the key:
 * it ends up in config errors.
 */
export function decodeKeyMaterial(base64: string): { key: Buffer } | { problem: string } {
  const text = base64.trim();
  if (!STRICT_BASE64.test(text)) return { problem: 'is not base64' };
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) return { problem: `must be ${KEY_BYTES} bytes (AES-256) but decodes to ${key.length}` };
  return { key };
}

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | null | undefined): string | undefined => (b ? Buffer.from(b).toString('utf8') : undefined);

/** AES-256-GCM payload codec. The first key seals; every key (the first and older ones) opens. */
export class AesGcmPayloadCodec implements PayloadCodec {
  readonly #active: EncryptionKey;
  readonly #byId: ReadonlyMap<string, Uint8Array>;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('AesGcmPayloadCodec needs at least one key');
    const byId = new Map<string, Uint8Array>();
    for (const k of keys) {
      if (k.key.length !== KEY_BYTES) throw new Error(`encryption key "${k.id}" must be ${KEY_BYTES} bytes, not ${k.key.length}`);
      if (byId.has(k.id)) throw new Error(`encryption key id "${k.id}" is given twice`);
      byId.set(k.id, k.key);
    }
    this.#active = keys[0];
    this.#byId = byId;
  }

  /** The id new payloads are sealed with. */
  get activeKeyId(): string {
    return this.#active.id;
  }

  // Synchronous work, but a failure must reach the caller as a rejection.
  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((p) => this.#seal(p)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() => payloads.map((p) => this.#open(p)));
  }

  #seal(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, this.#active.key, iv);
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.#active.id) },
      data: sealed,
    };
  }

  #open(payload: Payload): Payload {
    // Payloads written before encryption was turned on (or by an unencrypted client) stay readable.
    if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    if (keyId === undefined) throw new PayloadDecryptionError(`an encrypted payload has no ${KEY_ID_METADATA}`);
    const key = this.#byId.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `a payload is encrypted with key "${keyId}", which this process does not have (it knows ${[...this.#byId.keys()].map((id) => `"${id}"`).join(', ')}); add it to temporal.encryption.previousKeys`,
      );
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`a payload encrypted with key "${keyId}" is truncated`);
    const iv = data.subarray(0, IV_BYTES);
    const tag = data.subarray(data.length - TAG_BYTES);
    const decipher = createDecipheriv(CIPHER, key, iv);
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadDecryptionError(`a payload encrypted with key "${keyId}" failed authentication: it was altered, or sealed by a different key under the same id`);
    }
    const inner = temporal.api.common.v1.Payload.decode(plain);
    return { metadata: inner.metadata, data: inner.data, ...(inner.externalPayloads?.length ? { externalPayloads: inner.externalPayloads } : {}) };
  }
}
