import { URN } from '../../scim/schemas/urns';
import type { SimCore } from './core';

const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export function serviceProviderConfig(core: SimCore): Record<string, unknown> {
  const scim2 = core.opts.mode === 'scim2';
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: scim2 ? 'https://datatracker.ietf.org/doc/html/rfc7644' : 'https://developer.genesys.cloud/',
    patch: { supported: true },
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
    meta: { resourceType: 'ServiceProviderConfig', location: `${core.render.scimBase}/serviceproviderconfig` },
  };
}

function resourceTypes(core: SimCore): Array<Record<string, unknown>> {
  const users = core.opts.mode === 'genesys' ? '/users' : '/Users';
  const groups = core.opts.mode === 'genesys' ? '/groups' : '/Groups';
  return [
    {
      schemas: [RESOURCE_TYPE_URN], id: 'User', name: 'User', endpoint: users, schema: URN.user,
      schemaExtensions: [
        { schema: URN.enterpriseUser, required: false },
        ...(core.opts.mode === 'genesys' ? [{ schema: URN.genesysUser, required: false }] : []),
      ],
      meta: { resourceType: 'ResourceType', location: `${core.render.scimBase}/resourcetypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_URN], id: 'Group', name: 'Group', endpoint: groups, schema: URN.group,
      meta: { resourceType: 'ResourceType', location: `${core.render.scimBase}/resourcetypes/Group` },
    },
  ];
}

type Attr = Record<string, unknown>;
const attr = (name: string, type: string, extra: Attr = {}): Attr => ({
  name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});
const multi = (name: string, subAttributes: Attr[], extra: Attr = {}): Attr =>
  attr(name, 'complex', { multiValued: true, subAttributes, ...extra });
const typed = (types: string[]) => [attr('value', 'string'), attr('type', 'string', { canonicalValues: types }), attr('primary', 'boolean')];

function schemas(core: SimCore): Array<Record<string, unknown>> {
  const genesys = core.opts.mode === 'genesys';
  const userAttrs: Attr[] = [
    attr('userName', 'string', { required: true, uniqueness: 'server' }),
    attr('displayName', 'string', { required: !!genesys }),
    ...(genesys ? [] : [attr('name', 'complex', { subAttributes: [attr('givenName', 'string'), attr('familyName', 'string'), attr('formatted', 'string')] })]),
    attr('title', 'string'),
    attr('active', 'boolean'),
    attr('externalId', 'string', { caseExact: true }),
    attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    multi('emails', typed(genesys ? ['work', 'other'] : ['work', 'home', 'other'])),
    multi('phoneNumbers', typed(['work', 'work2', 'work3', 'work4', 'home', 'mobile', 'other'])),
    multi('roles', [attr('value', 'string')]),
    multi('groups', [attr('value', 'string'), attr('display', 'string'), attr('$ref', 'reference')], { mutability: 'readOnly' }),
  ];
  const enterprise: Attr[] = [
    attr('employeeNumber', 'string'), attr('department', 'string'), attr('division', 'string'), attr('dateHire', 'string'),
    attr('manager', 'complex', { subAttributes: [attr('value', 'string'), attr('$ref', 'reference'), attr('displayName', 'string', { mutability: 'readOnly' })] }),
  ];
  const proficiency = [attr('name', 'string'), attr('proficiency', 'decimal')];
  const out: Array<Record<string, unknown>> = [
    { schemas: [SCHEMA_URN], id: URN.user, name: 'User', attributes: userAttrs },
    {
      schemas: [SCHEMA_URN], id: URN.group, name: 'Group',
      attributes: [attr('displayName', 'string', { required: true }), multi('members', [attr('value', 'string'), attr('display', 'string'), attr('$ref', 'reference')])],
    },
    { schemas: [SCHEMA_URN], id: URN.enterpriseUser, name: 'EnterpriseUser', attributes: enterprise },
  ];
  if (genesys) {
    out.push({
      schemas: [SCHEMA_URN], id: URN.genesysUser, name: 'GenesysUser',
      attributes: [multi('routingSkills', proficiency), multi('routingLanguages', proficiency), multi('externalIds', [attr('authority', 'string'), attr('value', 'string')])],
    });
  }
  return out;
}

function list(items: Array<Record<string, unknown>>): Record<string, unknown> {
  return { schemas: [URN.listResponse], totalResults: items.length, startIndex: 1, itemsPerPage: items.length, Resources: items };
}

export function discovery(core: SimCore, what: 'resourcetypes' | 'schemas', id?: string): Record<string, unknown> | undefined {
  const items = what === 'resourcetypes' ? resourceTypes(core) : schemas(core);
  if (id === undefined) return list(items);
  return items.find((i) => String(i.id).toLowerCase() === id.toLowerCase());
}
