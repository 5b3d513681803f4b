import assert from 'node:assert/strict';
import { diffGroups, type GroupDiff } from '../../src/domain/groups';
import { managedGroupNames } from '../../src/domain/mapping/config';
import type { User } from '../../src/scim/model/resources/user';
import { GROUP_IDS, config } from './fixtures';

const MANAGED = managedGroupNames(config());

interface GroupCase {
  name: string;
  desired: string[];
  current: User['groups'];
  ids?: Record<string, string>;
  expected: GroupDiff;
}

const cases: GroupCase[] = [
  { name: 'already a member', desired: ['Sales Team'], current: [{ value: 'g-sales' }], expected: { add: [], remove: [], unresolved: [] } },
  { name: 'joiner: added', desired: ['Sales Team'], current: undefined, expected: { add: ['g-sales'], remove: [], unresolved: [] } },
  {
    name: 'mover: added to the new, removed from the old managed group',
    desired: ['Sales Team'],
    current: [{ value: 'g-eng', display: 'Engineering Team' }],
    expected: { add: ['g-sales'], remove: ['g-eng'], unresolved: [] },
  },
  {
    name: 'groups the mapping does not manage stay',
    desired: ['Sales Team'],
    current: [{ value: 'g-all', display: 'All Staff' }, { value: 'g-other' }],
    expected: { add: ['g-sales'], remove: [], unresolved: [] },
  },
  {
    name: 'no department any more: removed from managed groups only',
    desired: [],
    current: [{ value: 'g-eng' }, { value: 'g-all' }],
    expected: { add: [], remove: ['g-eng'], unresolved: [] },
  },
  {
    name: 'group names looked up ignoring case',
    desired: ['sales team'],
    current: [],
    expected: { add: ['g-sales'], remove: [], unresolved: [] },
  },
  {
    name: 'a group the target lacks is reported, not invented',
    desired: ['Sales Team', 'Night Shift'],
    current: [],
    expected: { add: ['g-sales'], remove: [], unresolved: ['Night Shift'] },
  },
  {
    name: 'a managed group the caller did not look up is recognised by its display name',
    desired: ['Sales Team'],
    current: [{ value: 'g-legal-x', display: 'Legal Team' }],
    ids: { 'Sales Team': 'g-sales' },
    expected: { add: ['g-sales'], remove: ['g-legal-x'], unresolved: [] },
  },
  {
    name: 'a desired group the caller did not look up but the user already has',
    desired: ['Sales Team'],
    current: [{ value: 'g-sales', display: 'Sales Team' }],
    ids: {},
    expected: { add: [], remove: [], unresolved: [] },
  },
];

describe('domain: diffGroups', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(diffGroups(c.desired, c.current, c.ids ?? GROUP_IDS, MANAGED), c.expected);
    });
  }
});
