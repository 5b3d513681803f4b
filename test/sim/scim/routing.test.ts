import { strict as assert } from 'node:assert';
import { GEN, Harness, patch, type Loose } from './helpers';

const SKILLS = `${GEN}:routingSkills`;

describe('SCIM simulator: routing skills, languages and roles (Genesys)', () => {
  let h: Harness;
  let user: Record<string, Loose>;
  beforeEach(async () => {
    h = await Harness.start({ catalogue: { skills: ['Billing', 'Sales', 'Tech Support'], roles: ['Agent', 'Supervisor'] } });
    user = await h.createUser({
      userName: 'ann@corp.com',
      displayName: 'Ann',
      roles: [{ value: 'agent' }],
      [GEN]: { routingSkills: [{ name: 'billing', proficiency: 3 }], routingLanguages: [{ name: 'Klingon', proficiency: 5 }] },
    });
  });
  afterEach(async () => h.close());

  const patchUser = (...ops: Array<Record<string, unknown>>) => h.json('PATCH', `/users/${user.id}`, patch(...ops));

  it('keeps catalogue names as the org spells them; languages without a catalogue take any name', () => {
    assert.deepEqual(user.roles, [{ value: 'Agent' }]);
    assert.deepEqual(user[GEN].routingSkills, [{ name: 'Billing', proficiency: 3 }]);
    assert.deepEqual(user[GEN].routingLanguages, [{ name: 'Klingon', proficiency: 5 }]);
  });

  it('adds a skill, removes one by name, and one name appears once', async () => {
    let r = await patchUser({ op: 'add', path: SKILLS, value: [{ name: 'Sales', proficiency: 2 }] }, { op: 'add', path: SKILLS, value: [{ name: 'BILLING', proficiency: 4 }] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body[GEN].routingSkills, [{ name: 'Sales', proficiency: 2 }, { name: 'Billing', proficiency: 4 }]);
    r = await patchUser({ op: 'remove', path: `${SKILLS}[name eq "Sales"]` });
    assert.deepEqual(r.body[GEN].routingSkills, [{ name: 'Billing', proficiency: 4 }]);
    r = await patchUser({ op: 'remove', path: 'roles[value eq "Agent"]' }, { op: 'add', path: 'roles', value: [{ value: 'Supervisor' }] });
    assert.deepEqual(r.body.roles, [{ value: 'Supervisor' }]);
  });

  it('refuses an unknown skill or role by name, and a proficiency outside 0-5, changing nothing', async () => {
    for (const [op, re] of [
      [{ op: 'add', path: SKILLS, value: [{ name: 'Juggling', proficiency: 1 }] }, /unknown routing skill "Juggling"/],
      [{ op: 'add', path: 'roles', value: [{ value: 'Overlord' }] }, /unknown role "Overlord"/],
      [{ op: 'add', path: SKILLS, value: [{ name: 'Sales', proficiency: 6 }] }, /must be 0 to 5/],
    ] as const) {
      const r = await patchUser(op);
      assert.equal(r.status, 400);
      assert.equal(r.body.scimType, 'invalidValue');
      assert.match(r.body.detail, re);
    }
    const now = await h.json('GET', `/users/${user.id}`);
    assert.deepEqual(now.body[GEN].routingSkills, [{ name: 'Billing', proficiency: 3 }]);
    assert.deepEqual(now.body.roles, [{ value: 'Agent' }]);
  });

  it('takes at most 50 languages', async () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `L${i}`, proficiency: 1 }));
    const r = await patchUser({ op: 'replace', path: `${GEN}:routingLanguages`, value: many });
    assert.equal(r.status, 400);
    assert.match(r.body.detail, /at most 50 routing languages, got 51/);
    const ok = await patchUser({ op: 'replace', path: `${GEN}:routingLanguages`, value: many.slice(0, 50) });
    assert.equal(ok.status, 200);
  });
});
