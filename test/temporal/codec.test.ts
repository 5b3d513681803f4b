import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure, encodeToPayloads, decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers';
import { temporal } from '@temporalio/proto';
import { loadClientConfig } from '../../src/config';
import { AesGcmPayloadCodec, decodeKeyMaterial, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../src/temporal/codec';
import { dataConverter } from '../../src/temporal/dataconverter';

const employee = { id: 'E1042', first_name: 'Ada', last_name: 'Lovelace', email: 'ada.lovelace@example.com', work_phone: '+1 555 0100' };
const str = (b: Uint8Array | null | undefined) => Buffer.from(b ?? []).toString('utf8');
const key = (id: string) => ({ id, key: randomBytes(32) });

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  assert.fail('expected a rejection');
}

describe('AES-GCM payload codec', () => {
  const k1 = key('k1');
  const codec = new AesGcmPayloadCodec([k1]);
  const plain = defaultPayloadConverter.toPayload(employee);

  it('seals the whole payload, metadata included, and opens it to the same payload', async () => {
    const [sealed] = await codec.encode([plain]);
    assert.equal(str(sealed.metadata?.encoding), ENCRYPTED_ENCODING);
    assert.equal(str(sealed.metadata?.[KEY_ID_METADATA]), 'k1');
    assert.deepEqual(Object.keys(sealed.metadata ?? {}).sort(), ['encoding', KEY_ID_METADATA].sort());
    const inner = temporal.api.common.v1.Payload.encode(plain).finish();
    assert.equal(sealed.data?.length, 12 + inner.length + 16, 'IV + ciphertext + tag');
    for (const needle of ['ada.lovelace@example.com', 'Lovelace', 'json/plain', '555 0100']) {
      assert.equal(str(sealed.data).includes(needle), false, `"${needle}" is readable in the sealed payload`);
    }
    const [opened] = await codec.decode([sealed]);
    assert.deepEqual(Buffer.from(opened.data ?? []), Buffer.from(plain.data ?? []));
    assert.equal(str(opened.metadata?.encoding), 'json/plain');
    assert.deepEqual(defaultPayloadConverter.fromPayload(opened), employee);
  });

  it('round-trips several payloads, undefined and empty data included, in order', async () => {
    const payloads = [defaultPayloadConverter.toPayload(undefined), defaultPayloadConverter.toPayload(''), plain, defaultPayloadConverter.toPayload([1, 2, 3])];
    const opened = await codec.decode(await codec.encode(payloads));
    assert.deepEqual(opened.map((p) => defaultPayloadConverter.fromPayload(p)), [undefined, '', employee, [1, 2, 3]]);
    assert.deepEqual(await codec.encode([]), []);
  });

  it('uses a fresh IV for every payload', async () => {
    const [a, b] = await codec.encode([plain, plain]);
    assert.notDeepEqual(Buffer.from(a.data ?? []), Buffer.from(b.data ?? []));
    assert.notDeepEqual(Buffer.from(a.data ?? []).subarray(0, 12), Buffer.from(b.data ?? []).subarray(0, 12));
  });

  it('passes through payloads that are not encrypted (written before encryption was turned on)', async () => {
    const [opened] = await codec.decode([plain]);
    assert.equal(opened, plain);
  });

  for (const [where, index] of [['the IV', 0], ['the ciphertext', 20], ['the tag', -1]] as const) {
    it(`detects a change to ${where}`, async () => {
      const [sealed] = await codec.encode([plain]);
      const data = Buffer.from(sealed.data ?? []);
      data[index < 0 ? data.length + index : index] ^= 0x01;
      const err = await rejection(codec.decode([{ ...sealed, data }]));
      assert.ok(err instanceof PayloadDecryptionError);
      assert.match(err.message, /encrypted with key "k1" failed authentication/);
    });
  }

  it('detects a truncated payload and a missing key id', async () => {
    const [sealed] = await codec.encode([plain]);
    assert.match((await rejection(codec.decode([{ ...sealed, data: (sealed.data ?? new Uint8Array()).subarray(0, 20) }]))).message, /key "k1" is truncated/);
    const noId: Payload = { metadata: { encoding: sealed.metadata?.encoding as Uint8Array }, data: sealed.data };
    assert.match((await rejection(codec.decode([noId]))).message, /has no encryption-key-id/);
  });

  it('rejects another key under the same id', async () => {
    const [sealed] = await codec.encode([plain]);
    const impostor = new AesGcmPayloadCodec([key('k1')]);
    assert.match((await rejection(impostor.decode([sealed]))).message, /key "k1" failed authentication/);
  });

  it('fails clearly for an unknown key id, naming the id and never a key', async () => {
    const [sealed] = await codec.encode([plain]);
    const k2 = key('k2');
    const err = await rejection(new AesGcmPayloadCodec([k2]).decode([sealed]));
    assert.ok(err instanceof PayloadDecryptionError);
    assert.match(err.message, /encrypted with key "k1", which this process does not have \(it knows "k2"\)/);
    for (const k of [k1.key, k2.key]) {
      assert.equal(err.message.includes(k.toString('base64')) || err.message.includes(k.toString('hex')), false);
    }
  });

  it('rotates: the new key seals, and data sealed with the old key still opens', async () => {
    const [old] = await codec.encode([plain]);
    const k2 = key('k2');
    const rotated = new AesGcmPayloadCodec([k2, k1]);
    assert.equal(rotated.activeKeyId, 'k2');
    assert.deepEqual(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0]), employee);
    const [fresh] = await rotated.encode([plain]);
    assert.equal(str(fresh.metadata?.[KEY_ID_METADATA]), 'k2');
    assert.deepEqual(defaultPayloadConverter.fromPayload((await new AesGcmPayloadCodec([k2]).decode([fresh]))[0]), employee);
    // A process still on the old key alone cannot read what the new key sealed, and says which key it lacks.
    assert.match((await rejection(codec.decode([fresh]))).message, /key "k2", which this process does not have/);
  });

  it('refuses keys of the wrong size and duplicate ids', () => {
    assert.throws(() => new AesGcmPayloadCodec([{ id: 'short', key: randomBytes(16) }]), /"short" must be 32 bytes, not 16/);
    assert.throws(() => new AesGcmPayloadCodec([k1, { ...key('k1') }]), /"k1" is given twice/);
    assert.throws(() => new AesGcmPayloadCodec([]), /at least one key/);
  });

  it('reads key material: base64 of exactly 32 bytes', () => {
    const good = randomBytes(32);
    assert.deepEqual(decodeKeyMaterial(`${good.toString('base64')}\n`), { key: good });
    assert.deepEqual(decodeKeyMaterial(randomBytes(16).toString('base64')), { problem: 'must be 32 bytes (AES-256) but decodes to 16' });
    assert.deepEqual(decodeKeyMaterial(randomBytes(33).toString('base64')), { problem: 'must be 32 bytes (AES-256) but decodes to 33' });
    assert.deepEqual(decodeKeyMaterial('this is not base64!'), { problem: 'is not base64' });
    assert.deepEqual(decodeKeyMaterial(good.toString('hex')), { problem: 'must be 32 bytes (AES-256) but decodes to 48' });
  });
});

describe('dataConverter(config.temporal)', () => {
  const keyText = randomBytes(32).toString('base64');
  const cfg = loadClientConfig({ env: { HRSYNC_ENCRYPTION_KEY_ID: '2026-01', HRSYNC_ENCRYPTION_KEY: keyText } });

  it('is undefined (the SDK default) without temporal.encryption', () => {
    assert.equal(dataConverter(loadClientConfig({ env: {} }).temporal), undefined);
  });

  it('encrypts values and failure messages end to end, as a client or worker would', async () => {
    const converter = loadDataConverter(dataConverter(cfg.temporal));
    const payloads = (await encodeToPayloads(converter, employee)) ?? [];
    assert.equal(str(payloads[0].metadata?.[KEY_ID_METADATA]), '2026-01');
    assert.deepEqual(await decodeArrayFromPayloads(converter, payloads), [employee]);

    const failure = await encodeErrorToFailure(converter, ApplicationFailure.nonRetryable(`no such manager for ${employee.email}`, 'BadManager'));
    const wire = Buffer.from(temporal.api.failure.v1.Failure.encode(failure).finish()).toString('utf8');
    assert.equal(wire.includes(employee.email), false, 'the failure message is readable on the wire');
    assert.equal(failure.message, 'Encoded failure');
    const back = await decodeOptionalFailureToOptionalError(converter, failure);
    assert.match(back?.message ?? '', /no such manager for ada\.lovelace@example\.com/);

    // A converter without the key can't read it: the client and the worker must agree.
    const plainConverter = loadDataConverter(undefined);
    await assert.rejects(decodeArrayFromPayloads(plainConverter, payloads), /binary\/encrypted/);
  });
});
