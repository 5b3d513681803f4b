import { defaultMappingConfig, managedGroupNames } from '../src/domain/mapping/config';
import { startHrSimulator, type HrSimOptions, type HrSimulator } from './hr';
import { startScimSimulator, type ScimSimOptions, type ScimSimulator } from './scim';

export interface Simulators {
  scim: ScimSimulator;
  hr: HrSimulator;
  /** The one JSON line `hrsync sim` prints: what a config needs to point at these simulators. */
  endpoints(): SimEndpoints;
  close(): Promise<void>;
}

export interface SimEndpoints {
  scim: { mode: 'genesys' | 'scim2'; apiUrl: string; loginUrl: string; baseUrl: string; clientId: string; clientSecret: string; bearerToken?: string };
  hr: { baseUrl: string };
}

/**
 * Both simulators on loopback: a Genesys-like SCIM service seeded with the groups the default mapping
 * names, and an HR API holding a generated company.
 */
export async function startSimulators(opts: { scim?: ScimSimOptions; hr?: HrSimOptions } = {}): Promise<Simulators> {
  const scim = await startScimSimulator({ groups: managedGroupNames(defaultMappingConfig()), ...opts.scim });
  let hr: HrSimulator;
  try {
    hr = await startHrSimulator(opts.hr);
  } catch (err) {
    await scim.close();
    throw err;
  }
  return {
    scim,
    hr,
    endpoints: () => ({
      scim: {
        mode: scim.mode,
        apiUrl: scim.apiUrl,
        loginUrl: scim.loginUrl,
        baseUrl: scim.scimBaseUrl,
        clientId: scim.clientId,
        clientSecret: scim.clientSecret,
        ...(scim.bearerToken ? { bearerToken: scim.bearerToken } : {}),
      },
      hr: { baseUrl: hr.baseUrl },
    }),
    close: async () => {
      await Promise.all([scim.close(), hr.close()]);
    },
  };
}

/** Environment variables that point a worker at the simulators (what a user would export). */
export function simulatorEnv(e: SimEndpoints): Record<string, string> {
  const common = { HR_BASE_URL: e.hr.baseUrl };
  if (e.scim.mode === 'scim2') {
    return { ...common, SCIM_TARGET: 'scim2', SCIM_BASE_URL: e.scim.baseUrl, SCIM_BEARER_TOKEN: e.scim.bearerToken ?? '' };
  }
  return {
    ...common,
    SCIM_TARGET: 'genesys',
    GENESYS_API_URL: e.scim.apiUrl,
    GENESYS_LOGIN_URL: e.scim.loginUrl,
    GENESYS_CLIENT_ID: e.scim.clientId,
    GENESYS_CLIENT_SECRET: e.scim.clientSecret,
  };
}
