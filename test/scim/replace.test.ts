import assert from 'node:assert/strict';
import { groupReplacement, userReplacement } from '../../src/scim/model/messages/replace';
import type { PatchOperation } from '../../src/scim/model/messages/patchop';
import type { Group } from '../../src/scim/model/resources/group';
import type { User } from '../../src/scim/model/resources/user';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GEN = 'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User';

/** A user as a target returns it: service attributes (meta), read-only ones (groups), and some nobody manages (nickName). */
const returned: User = {
  schemas: [CORE, ENT],
  id: 'u1',
  userName: 'ada@corp.com',
  displayName: 'Ada Lovelace',
  nickName: 'Countess',
  active: true,
  title: 'Engineer',
  emails: [
    { type: 'work', value: 'ada@corp.com', primary: true },
    { type: 'other', value: 'ada@corp.com' },
  ],
  phoneNumbers: [{ type: 'work', value: '+15550100' }],
  groups: [{ value: 'g1', display: 'Engineering Team' }],
  [ENT]: { department: 'Engineering', employeeNumber: '7', manager: { value: 'm1' } },
  meta: { resourceType: 'User', version: 'W/"4"', location: '/Users/u1' },
} as User;

/** What every replace body keeps of `returned` when the operations don't touch it. */
const { meta: _meta, groups: _groups, ...kept } = returned;

describe('scim: the body of a replace (PUT) that does what a PATCH would', () => {
  const cases: { name: string; ops: PatchOperation[]; expected: Record<string, unknown> }[] = [
    { name: 'no operation: the user as returned, without meta and the read-only groups', ops: [], expected: kept },
    { name: 'deactivation', ops: [{ op: 'replace', path: 'active', value: false }], expected: { ...kept, active: false } },
    {
      name: 'a mover: department, title and manager',
      ops: [
        { op: 'replace', path: `${ENT}:department`, value: 'Sales' },
        { op: 'replace', path: 'title', value: 'Account Lead' },
        { op: 'replace', path: `${ENT}:manager`, value: { value: 'm2' } },
      ],
      expected: { ...kept, title: 'Account Lead', [ENT]: { department: 'Sales', employeeNumber: '7', manager: { value: 'm2' } } },
    },
    {
      name: 'a manager removed, a title removed',
      ops: [
        { op: 'remove', path: `${ENT}:manager` },
        { op: 'remove', path: 'title' },
      ],
      expected: (() => {
        const { title: _t, ...rest } = kept;
        return { ...rest, [ENT]: { department: 'Engineering', employeeNumber: '7' } };
      })(),
    },
    {
      name: 'the work email changed by a filtered path, the other email left alone',
      ops: [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'ada.l@corp.com' }],
      expected: { ...kept, emails: [{ type: 'work', value: 'ada.l@corp.com', primary: true }, { type: 'other', value: 'ada@corp.com' }] },
    },
    {
      name: 'the work phone removed; a remove of an entry already gone changes nothing',
      ops: [
        { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
        { op: 'remove', path: 'phoneNumbers[type eq "mobile"]' },
      ],
      expected: (() => {
        const { phoneNumbers: _p, ...rest } = kept;
        return rest;
      })(),
    },
    {
      name: 'a mobile phone added beside the work one',
      ops: [{ op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+15550199' }] }],
      expected: { ...kept, phoneNumbers: [{ type: 'work', value: '+15550100' }, { type: 'mobile', value: '+15550199' }] },
    },
    {
      name: 'the first attribute of an extension the user lacked: schemas names it',
      ops: [{ op: 'add', path: `${GEN}:routingSkills`, value: [{ name: 'Billing', proficiency: 3 }] }],
      expected: { ...kept, schemas: [CORE, ENT, GEN], [GEN]: { routingSkills: [{ name: 'Billing', proficiency: 3 }] } },
    },
    {
      name: 'a no-path replace (reactivation with a title)',
      ops: [{ op: 'replace', value: { active: true, title: 'Principal' } }],
      expected: { ...kept, title: 'Principal' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = structuredClone(returned);
      assert.deepEqual(userReplacement(returned, c.ops), c.expected);
      assert.deepEqual(returned, before, 'the user it was given changed');
    });
  }

  it('schemas always name the core User schema, even when the target sent none', () => {
    const { schemas: _s, ...bare } = returned;
    assert.deepEqual(userReplacement(bare as User, []).schemas, [CORE, ENT]);
  });

  it('an operation that cannot apply to the user as returned fails, naming it', () => {
    assert.throws(() => userReplacement(returned, [{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }]), /replace emails\[type eq "work"/);
  });
});

describe('scim: the body of a group replace that changes its members', () => {
  const group: Group = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id: 'g1',
    displayName: 'Sales Team',
    externalId: 'sales',
    members: [{ value: 'a', display: 'A' }, { value: 'b', $ref: '/Users/b' }],
    meta: { resourceType: 'Group', version: 'W/"9"' },
  };
  const base = { schemas: group.schemas, id: 'g1', displayName: 'Sales Team', externalId: 'sales' };
  const cases: { name: string; changes: { add?: string[]; remove?: string[] }; members: string[] }[] = [
    { name: 'adds appended, members kept by value alone', changes: { add: ['c', 'd'] }, members: ['a', 'b', 'c', 'd'] },
    { name: 'a removal', changes: { remove: ['a'] }, members: ['b'] },
    { name: 'adds and removals at once', changes: { add: ['c'], remove: ['b'] }, members: ['a', 'c'] },
    { name: 'adding a member already there, or twice, adds it once', changes: { add: ['a', 'c', 'c'] }, members: ['a', 'b', 'c'] },
    { name: 'removing a member already gone changes nothing', changes: { remove: ['z'] }, members: ['a', 'b'] },
    { name: 'everyone removed: an empty member list', changes: { remove: ['a', 'b'] }, members: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(groupReplacement(group, c.changes), { ...base, members: c.members.map((value) => ({ value })) });
    });
  }

  it('a group returned without members, or without schemas', () => {
    const { members: _m, schemas: _s, ...bare } = group;
    assert.deepEqual(groupReplacement(bare as Group, { add: ['a'] }), { ...base, members: [{ value: 'a' }] });
  });
});
