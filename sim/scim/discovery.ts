import { URN } from '../../src/scim/model/schemas/urns';
import type { SimCore } from './core';
import { ScimHttpError } from './errors';
import type { ScimStrictness } from './options';
import { declaredRequired } from './required';
import { groupSchema, userSchemas, userTypeExtensions } from './schema';

const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Genesys serves lowercase paths; a generic RFC 7644 server the capitalised ones. */
function endpoint(core: SimCore, name: 'Users' | 'Groups' | 'Schemas' | 'ResourceTypes' | 'ServiceProviderConfig'): string {
  return core.opts.mode === 'genesys' ? `/${name.toLowerCase()}` : `/${name}`;
}

/** RFC 7643 §5. Filtering is supported, within the limits the strictness switches add. */
export function serviceProviderConfig(core: SimCore): Record<string, unknown> {
  const scim2 = core.opts.mode === 'scim2';
  if (core.opts.strict.discoveryShape === 'spc-minimal') return { schemas: [URN.serviceProviderConfig] };
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: scim2 ? 'https://datatracker.ietf.org/doc/html/rfc7644' : 'https://developer.genesys.cloud/',
    patch: { supported: core.opts.strict.patch !== 'declared-unsupported' },
    bulk: scim2
      ? { supported: true, maxOperations: core.opts.bulk.maxOperations, maxPayloadSize: core.opts.bulk.maxPayloadSize }
      : { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: core.opts.maxPageSize },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      scim2
        ? { type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Static bearer token or OAuth 2.0 client credentials', primary: true }
        : { type: 'oauth2', name: 'OAuth 2.0', description: 'OAuth 2.0 client credentials grant', primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${core.render.scimBase}${endpoint(core, 'ServiceProviderConfig')}` },
  };
}

/** The User resource type as the `resourceTypes` switch plays it (and `core-only`, which names no extension). */
function userResourceType(core: SimCore, location: (id: string) => string): Record<string, unknown> {
  const answer = core.opts.strict.resourceTypes;
  const extensions = userTypeExtensions(core.opts.mode, core.opts.strict).map((e) => ({
    schema: answer === 'lowercase-urns' ? e.id.toLowerCase() : e.id,
    required: answer === 'required',
  }));
  const listed = core.opts.strict.discoveryShape === 'core-only' || answer === 'no-key' ? {} : { schemaExtensions: extensions };
  if (answer === 'by-endpoint') return { schemas: [RESOURCE_TYPE_URN], endpoint: endpoint(core, 'Users'), ...listed };
  return {
    schemas: [RESOURCE_TYPE_URN], id: 'User', name: 'User', description: 'User Account', endpoint: endpoint(core, 'Users'), schema: URN.user,
    ...listed,
    meta: { resourceType: 'ResourceType', location: location('User') },
  };
}

function resourceTypes(core: SimCore): Array<Record<string, unknown>> {
  const location = (id: string) => `${core.render.scimBase}${endpoint(core, 'ResourceTypes')}/${id}`;
  return [
    userResourceType(core, location),
    {
      schemas: [RESOURCE_TYPE_URN], id: 'Group', name: 'Group', description: 'Group', endpoint: endpoint(core, 'Groups'), schema: URN.group,
      meta: { resourceType: 'ResourceType', location: location('Group') },
    },
  ];
}

/** RFC 7643 §7: the schemas the simulator really stores by, so a client that reads them learns the truth. */
function schemas(core: SimCore): Array<Record<string, unknown>> {
  const shape = core.opts.strict.discoveryShape;
  const served = [...userSchemas(core.opts.mode, core.opts.strict), groupSchema()].filter((s) => shape !== 'core-only' || s.id === URN.user || s.id === URN.group);
  const strict = core.opts.strict;
  return served.map((s) => ({
    schemas: [SCHEMA_URN],
    ...s,
    attributes: s.attributes.map((a) => (declaredRequired(strict, s.id, a.name) ? { ...a, required: true } : a)).map((a) => (shape === 'no-mutability' ? withoutMutability(a) : a)),
    meta: { resourceType: 'Schema', location: `${core.render.scimBase}${endpoint(core, 'Schemas')}/${s.id}` },
  }));
}

/** An attribute as a server that leaves the RFC's defaults unsaid sends it. */
function withoutMutability(a: object): object {
  const { mutability: _m, returned: _r, uniqueness: _u, subAttributes, ...rest } = a as { mutability?: unknown; returned?: unknown; uniqueness?: unknown; subAttributes?: object[] };
  return { ...rest, ...(subAttributes ? { subAttributes: subAttributes.map(withoutMutability) } : {}) };
}

function list(core: SimCore, items: Array<Record<string, unknown>>): Record<string, unknown> | unknown[] {
  const shape = core.opts.strict.discoveryShape;
  if (shape === 'bare-array') return items;
  const head = { schemas: [URN.listResponse], totalResults: items.length, startIndex: 1, itemsPerPage: items.length };
  return shape === 'lowercase-resources' ? { ...head, resources: items } : { ...head, Resources: items };
}

const REFUSED: Partial<Record<ScimStrictness['resourceTypes'], number>> = { 'refused-403': 403, 'refused-404': 404, 'refused-501': 501 };

export function discovery(core: SimCore, what: 'resourcetypes' | 'schemas', id?: string): Record<string, unknown> | unknown[] | undefined {
  if (core.opts.strict.noSchemas) return undefined;
  const answer = core.opts.strict.resourceTypes;
  const refused = what === 'resourcetypes' ? REFUSED[answer] : undefined;
  if (refused !== undefined) throw new ScimHttpError(refused, refused === 501 ? 'Resource types are not implemented' : refused === 403 ? 'Not authorized to read resource types' : 'No such endpoint');
  const items = what === 'resourcetypes' ? resourceTypes(core) : schemas(core);
  if (id === undefined) return what === 'resourcetypes' && answer === 'single' ? items[0] : list(core, items);
  return items.find((i) => String(i.id).toLowerCase() === id.toLowerCase());
}
