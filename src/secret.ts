import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A credential that cannot leak by accident: every way of printing it (String(), JSON, util.inspect,
 * template literals) shows "[redacted]". Only `reveal()` gives the value, at the point of use.
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export type SecretLike = string | { reveal(): string };

export function reveal(secret: SecretLike): string {
  return typeof secret === 'string' ? secret : secret.reveal();
}
