/**
 * Target profiles: what differs between Genesys Cloud and a generic RFC 7643/7644 server, as data.
 * The client consults the profile instead of branching on a target name.
 */
export type ProfileName = 'genesys' | 'scim2';

export interface ResourcePaths {
  users: string;
  groups: string;
  serviceProviderConfig: string;
  resourceTypes: string;
  schemas: string;
  bulk: string;
}

export interface TargetProfile {
  readonly name: ProfileName;
  /** SCIM base URL, no trailing slash: resource paths are appended to it. */
  readonly baseUrl: string;
  readonly paths: ResourcePaths;
  /** Genesys has no `name` attribute; it is stripped from writes. */
  readonly supportsName: boolean;
  /** `never`: no /Bulk whatever discovery says (Genesys). `discover`: ask ServiceProviderConfig. */
  readonly bulk: 'never' | 'discover';
  /** Filter attribute paths for the lookups the resolver uses. */
  readonly lookupPaths: Record<UserLookupKey, string>;
  /** Genesys answers an unfiltered user list with active users only. */
  readonly unfilteredListIsActiveOnly: boolean;
  /**
   * Whether a filtered eq query might leave inactive users out. Not documented for Genesys, so on a miss the
   * client asks once more with `and active eq false`: one extra call on a miss only, and correct either way.
   */
  readonly filteredListMayHideInactive: boolean;
  /** Requests per minute when the caller sets nothing; null = no pacing. */
  readonly defaultRateLimitPerMinute: number | null;
}

export type UserLookupKey = 'externalId' | 'employeeNumber' | 'userName' | 'email';

/** Genesys Cloud region names and their domains (API host `api.<domain>`, login host `login.<domain>`). */
export const GENESYS_REGIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
  'ap-south-1': 'aps1.pure.cloud',
  'ap-southeast-1': 'apse1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'mx-central-1': 'mxc1.pure.cloud',
  'eu-east-1': 'edee1.eusc-pure.cloud',
};

const GENESYS_DOMAINS = new Set(Object.values(GENESYS_REGIONS));

export const GENESYS_SCIM_PATH = '/api/v2/scim/v2';

/**
 * Genesys may answer 429 to a user page of more than 25 unless these are excluded (`excludedAttributes`).
 * id, userName, active and meta always come back.
 */
export const GENESYS_LARGE_PAGE_EXCLUDES: readonly string[] = [
  'externalId',
  'roles',
  'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:routingSkills',
  'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:routingLanguages',
];
export const GENESYS_DEFAULT_RATE_LIMIT_PER_MINUTE = 300;

/** Accepts `us-east-1`, `mypurecloud.com`, `api.mypurecloud.com` or `https://api.mypurecloud.com`. */
export function genesysDomain(regionOrDomain: string): string {
  const cleaned = regionOrDomain.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '').replace(/^(api|login)\./, '');
  const byRegion = GENESYS_REGIONS[cleaned];
  if (byRegion) return byRegion;
  if (GENESYS_DOMAINS.has(cleaned)) return cleaned;
  throw new Error(
    `unknown Genesys Cloud region or domain "${regionOrDomain}"; use one of: ${Object.keys(GENESYS_REGIONS).join(', ')} (or their domains)`,
  );
}

export interface GenesysEndpoints {
  /** SCIM base, e.g. https://api.mypurecloud.com/api/v2/scim/v2 */
  scimBaseUrl: string;
  tokenUrl: string;
}

/**
 * API and login hosts from a region or domain; explicit `apiUrl`/`loginUrl` win (the simulator, a proxy).
 * With only `apiUrl` of the form https://api.X, the login host is https://login.X.
 */
export function genesysEndpoints(opts: { region?: string; apiUrl?: string; loginUrl?: string }): GenesysEndpoints {
  const domain = opts.region ? genesysDomain(opts.region) : undefined;
  const apiUrl = trimSlash(opts.apiUrl ?? `https://api.${domain ?? GENESYS_REGIONS['us-east-1']}`);
  let loginUrl = opts.loginUrl ? trimSlash(opts.loginUrl) : undefined;
  if (!loginUrl) {
    if (domain) loginUrl = `https://login.${domain}`;
    else {
      const u = new URL(apiUrl);
      if (opts.apiUrl && !u.hostname.startsWith('api.')) {
        throw new Error('genesys profile: set loginUrl (or region) when apiUrl is not an api.<domain> host');
      }
      loginUrl = `${u.protocol}//${u.host.replace(/^api\./, 'login.')}`;
    }
  }
  const scimBaseUrl = apiUrl.endsWith(GENESYS_SCIM_PATH) ? apiUrl : `${apiUrl}${GENESYS_SCIM_PATH}`;
  const tokenUrl = loginUrl.endsWith('/oauth/token') ? loginUrl : `${loginUrl}/oauth/token`;
  return { scimBaseUrl, tokenUrl };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A generic RFC 7643/7644 server, as the RFCs write it. */
const SCIM2: Omit<TargetProfile, 'baseUrl'> = {
  name: 'scim2',
  paths: { users: '/Users', groups: '/Groups', serviceProviderConfig: '/ServiceProviderConfig', resourceTypes: '/ResourceTypes', schemas: '/Schemas', bulk: '/Bulk' },
  supportsName: true,
  bulk: 'discover',
  lookupPaths: {
    externalId: 'externalId',
    employeeNumber: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
    userName: 'userName',
    email: 'emails.value',
  },
  unfilteredListIsActiveOnly: false,
  filteredListMayHideInactive: false,
  defaultRateLimitPerMinute: null,
};

/** Genesys Cloud: where it departs from the RFCs (/work/shared/docs/genesys-scim.md), and nothing else. */
const GENESYS: Omit<TargetProfile, 'baseUrl'> = {
  ...SCIM2,
  name: 'genesys',
  // The Genesys SDKs use lowercase paths.
  paths: Object.fromEntries(Object.entries(SCIM2.paths).map(([k, p]) => [k, p.toLowerCase()])) as ResourcePaths,
  supportsName: false,
  bulk: 'never',
  lookupPaths: { ...SCIM2.lookupPaths, employeeNumber: 'employeeNumber', email: 'email' },
  unfilteredListIsActiveOnly: true,
  filteredListMayHideInactive: true,
  defaultRateLimitPerMinute: GENESYS_DEFAULT_RATE_LIMIT_PER_MINUTE,
};

export function genesysProfile(scimBaseUrl: string): TargetProfile {
  return { ...GENESYS, baseUrl: trimSlash(scimBaseUrl) };
}

export function scim2Profile(baseUrl: string): TargetProfile {
  return { ...SCIM2, baseUrl: trimSlash(baseUrl) };
}
