import { URN } from '../../src/scim/model/schemas/urns';
import type { ScimStrictness } from './options';
import type { Mode } from './render';

/** An RFC 7643 §7 attribute definition: what /Schemas declares and what the store keeps and checks. */
export interface AttrDef {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: AttrDef[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttrDef[];
}

const attr = (name: string, type: AttrDef['type'], description: string, extra: Partial<AttrDef> = {}): AttrDef => ({
  name, type, multiValued: false, description, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...extra,
});
const multi = (name: string, description: string, subAttributes: AttrDef[], extra: Partial<AttrDef> = {}): AttrDef =>
  attr(name, 'complex', description, { multiValued: true, subAttributes, ...extra });
const typed = (what: string, types: string[]): AttrDef[] => [
  attr('value', 'string', `The ${what}.`),
  attr('display', 'string', 'A human-readable name.'),
  attr('type', 'string', `The kind of ${what}.`, { canonicalValues: types }),
  attr('primary', 'boolean', `Whether this is the primary ${what}.`),
];
const ref = (description: string, referenceTypes: string[], extra: Partial<AttrDef> = {}): AttrDef =>
  attr('$ref', 'reference', description, { referenceTypes, ...extra });

/** The User schema's attributes in this mode. `groups` is computed from the groups, never stored. */
function userAttributes(mode: Mode, strict: ScimStrictness): AttrDef[] {
  const genesys = mode === 'genesys';
  const readOnly: Partial<AttrDef> = { mutability: 'readOnly' };
  return [
    attr('userName', 'string', 'Unique identifier for the user, used to sign in.', { required: true, uniqueness: 'server' }),
    ...(genesys
      ? []
      : [attr('name', 'complex', "The components of the user's name.", {
          subAttributes: [
            attr('formatted', 'string', 'The full name.'),
            attr('familyName', 'string', 'The family name.'),
            attr('givenName', 'string', 'The given name.'),
            attr('middleName', 'string', 'The middle name(s).'),
            attr('honorificPrefix', 'string', 'The honorific prefix.'),
            attr('honorificSuffix', 'string', 'The honorific suffix.'),
          ],
        })]),
    attr('displayName', 'string', 'The name of the user, suitable for display.', { required: genesys }),
    ...(genesys ? [] : [attr('nickName', 'string', 'The casual name of the user.'), attr('userType', 'string', "The user's relationship to the organization.")]),
    attr('title', 'string', "The user's title."),
    ...(genesys
      ? []
      : [
          attr('preferredLanguage', 'string', "The user's preferred language."),
          attr('locale', 'string', "The user's default location."),
          attr('timezone', 'string', "The user's time zone."),
        ]),
    attr('active', 'boolean', "The user's administrative status."),
    attr('password', 'string', "The user's clear-text password; never returned.", { mutability: 'writeOnly', returned: 'never' }),
    attr('externalId', 'string', 'An identifier of the user in the provisioning client.', { caseExact: true }),
    multi('emails', 'Email addresses of the user.', typed('email address', genesys ? ['work', 'other'] : ['work', 'home', 'other'])),
    multi('phoneNumbers', 'Phone numbers of the user.', typed('phone number', ['work', 'work2', 'work3', 'work4', 'home', 'mobile', 'other'])),
    multi('roles', 'Roles of the user.', [attr('value', 'string', 'The role name.')]),
    ...(strict.noGroupsOnUsers
      ? []
      : [multi('groups', 'Groups the user belongs to; changed through the Groups resource.', [
          attr('value', 'string', 'The group id.', readOnly),
          ref('The URI of the group.', ['Group'], readOnly),
          attr('display', 'string', "The group's displayName.", readOnly),
        ], readOnly)]),
  ];
}

/** Genesys documents department, manager, employeeNumber, division and dateHire in the extension, and nothing more. */
function enterpriseAttributes(mode: Mode, strict: ScimStrictness): AttrDef[] {
  return [
    attr('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to the person by the organization.'),
    ...(mode === 'genesys'
      ? []
      : [attr('costCenter', 'string', 'The name of a cost center.'), attr('organization', 'string', 'The name of an organization.')]),
    attr('division', 'string', 'The name of a division.'),
    attr('department', 'string', 'The name of a department.'),
    ...(strict.noDateHire ? [] : [attr('dateHire', 'string', 'The date of hire, YYYY-MM-DD (a Genesys attribute, not RFC 7643).')]),
    attr('manager', 'complex', "The user's manager.", {
      subAttributes: [
        attr('value', 'string', 'The id of the manager user.'),
        ref('The URI of the manager user.', ['User']),
        attr('displayName', 'string', "The manager's displayName.", { mutability: 'readOnly' }),
      ],
    }),
  ];
}

const proficiency = (what: string): AttrDef[] => [
  attr('name', 'string', `The ${what} name.`),
  attr('proficiency', 'decimal', 'Proficiency from 0 to 5.'),
];

/** Every user schema this mode serves: core first, then the extensions its User resource type declares. */
export function userSchemas(mode: Mode, strict: ScimStrictness): SchemaDef[] {
  const out: SchemaDef[] = [
    { id: URN.user, name: 'User', description: 'User Account', attributes: userAttributes(mode, strict) },
    { id: URN.enterpriseUser, name: 'EnterpriseUser', description: 'Enterprise User', attributes: enterpriseAttributes(mode, strict) },
  ];
  if (mode === 'genesys') {
    out.push({
      id: URN.genesysUser, name: 'GenesysUser', description: 'Genesys Cloud User',
      attributes: [
        multi('routingSkills', 'Routing skills of the user.', proficiency('skill')),
        multi('routingLanguages', 'Routing languages of the user.', proficiency('language')),
        multi('externalIds', 'External identifiers; the x-pc:scimv2:v1 authority is the service\'s own.', [
          attr('authority', 'string', 'The authority of the identifier.', { caseExact: true }),
          attr('value', 'string', 'The identifier.', { caseExact: true }),
        ]),
      ],
    });
  }
  return out;
}

/**
 * The extensions the `resourceTypes` switch says the User resource type doesn't extend with: the store keeps
 * none of them from a client's writes, whatever /schemas describes.
 */
export function unlistedExtensions(strict: ScimStrictness): string[] {
  if (strict.resourceTypes === 'no-enterprise') return [URN.enterpriseUser];
  if (strict.resourceTypes === 'none') return [URN.enterpriseUser, URN.genesysUser];
  return [];
}

/** The extension schemas the User resource type extends with (its `schemaExtensions`): the ones the store keeps. */
export function userTypeExtensions(mode: Mode, strict: ScimStrictness): SchemaDef[] {
  const [, ...extensions] = userSchemas(mode, strict);
  const unlisted = unlistedExtensions(strict);
  return extensions.filter((e) => !unlisted.includes(e.id));
}

export function groupSchema(): SchemaDef {
  const immutable: Partial<AttrDef> = { mutability: 'immutable' };
  return {
    id: URN.group, name: 'Group', description: 'Group',
    attributes: [
      attr('displayName', 'string', 'A human-readable name for the group.', { required: true }),
      multi('members', 'The members of the group (users only).', [
        attr('value', 'string', 'The id of the member.', immutable),
        ref('The URI of the member.', ['User'], immutable),
        attr('display', 'string', "The member's displayName.", { mutability: 'readOnly' }),
        attr('type', 'string', 'The kind of member.', { ...immutable, canonicalValues: ['User'] }),
      ]),
    ],
  };
}

export const findAttr = (defs: AttrDef[], name: string): AttrDef | undefined =>
  defs.find((d) => d.name.toLowerCase() === name.toLowerCase());
