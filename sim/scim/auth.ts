import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface TokenGrant {
  /** Opaque key used for per-token accounting; never the token itself. */
  key: string;
  clientId: string;
  expiresAt: number;
}

export type TokenResult =
  | { ok: true; accessToken: string; expiresIn: number }
  | { ok: false; status: number; error: string; description: string };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** OAuth 2.0 client-credentials issuer and bearer-token checker. */
export class TokenAuthority {
  private readonly tokens = new Map<string, TokenGrant>();
  private seq = 0;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly ttlSeconds: number,
    private readonly staticBearer?: string,
  ) {}

  issue(authorization: string | undefined, form: URLSearchParams, now: number): TokenResult {
    const creds = parseBasic(authorization) ?? {
      id: form.get('client_id') ?? '',
      secret: form.get('client_secret') ?? '',
    };
    if (!creds.id || !safeEqual(creds.id, this.clientId) || !safeEqual(creds.secret, this.clientSecret)) {
      return { ok: false, status: 401, error: 'invalid_client', description: 'client authentication failed' };
    }
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      return { ok: false, status: 400, error: 'unsupported_grant_type', description: `grant_type '${grantType ?? ''}' is not supported` };
    }
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, { key: `t${++this.seq}`, clientId: creds.id, expiresAt: now + this.ttlSeconds * 1000 });
    return { ok: true, accessToken, expiresIn: this.ttlSeconds };
  }

  verify(authorization: string | undefined, now: number): TokenGrant | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const token = m[1];
    if (this.staticBearer && safeEqual(token, this.staticBearer)) {
      return { key: 'static', clientId: 'static-bearer', expiresAt: Number.POSITIVE_INFINITY };
    }
    const grant = this.tokens.get(token);
    if (!grant) return undefined;
    if (grant.expiresAt <= now) {
      this.tokens.delete(token);
      return undefined;
    }
    return grant;
  }

  /** Ends every issued token's life now, so a test can force a refresh without waiting. */
  expireAll(): void {
    this.tokens.clear();
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { id: formDecode(decoded.slice(0, i)), secret: formDecode(decoded.slice(i + 1)) };
}

/** RFC 6749 §2.3.1 form-encodes credentials before Basic; most clients don't, so a bad escape is taken literally. */
function formDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
