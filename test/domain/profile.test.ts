import assert from 'node:assert/strict';
import { ManagedAttributeSchema, type ManagedAttribute } from '../../src/domain/mapping/config';
import { profileKnows, type TargetProfile } from '../../src/domain/profile';

describe('domain: the attributes each profile has', () => {
  const cases: [TargetProfile, ManagedAttribute, boolean][] = [
    ['genesys', 'dateHire', true],
    ['genesys', 'name', false],
    ['scim2', 'name', true],
    ['scim2', 'dateHire', false],
    ['genesys', 'division', true],
    ['scim2', 'division', true],
  ];
  for (const [profile, attribute, known] of cases) it(`${profile} ${known ? 'has' : 'has no'} ${attribute}`, () => assert.equal(profileKnows(profile, attribute), known));

  it('both profiles have every other managed attribute', () => {
    const others = ManagedAttributeSchema.options.filter((a) => a !== 'name' && a !== 'dateHire');
    assert.ok(others.length > 8);
    for (const a of others) for (const p of ['genesys', 'scim2'] as const) assert.equal(profileKnows(p, a), true, `${p} ${a}`);
  });
});
