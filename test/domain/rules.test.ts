import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkMappingAgainstTarget } from '../../src/domain/mapping/targetcheck';
import { generateCompany } from '../../sim/hr/company';
import { MappingConfigSchema } from '../../src/domain/mapping/config';
import { mapEmployee, type DesiredUser } from '../../src/domain/mapping/map';
import { mappedHrFields, parseTargetPath, type AttributeMappingInput } from '../../src/domain/mapping/rules';
import { diffUser, toNewUser } from '../../src/domain/diff';
import { measureDrift } from '../../src/domain/drift';
import { URN } from '../../src/scim/model/schemas/urns';
import { employeeSchemaFor } from '../../src/hr/employee';
import { config, employee, TODAY, user } from './fixtures';

const G = URN.genesysUser;
const SKILLS = `${G}:routingSkills`;
const LANGS = `${G}:routingLanguages`;

const JOB_SKILLS: AttributeMappingInput = {
  name: 'skills by job',
  target: SKILLS,
  from: 'job_code',
  lookup: {
    AGT1: [{ name: 'Billing', proficiency: 3 }, { name: 'Sales', proficiency: 2 }],
    AGT2: [{ name: 'Billing', proficiency: 5 }, 'Tech Support'],
  },
  default: [],
  proficiency: 1,
};

/** The employee as the HR connector would hand it over for this mapping: the fields it names kept, the rest dropped. */
function mapped(entries: AttributeMappingInput[], hr: Record<string, unknown> = {}, extra: object = {}) {
  const cfg = config({ attributes: entries, ...extra });
  const record = employeeSchemaFor(mappedHrFields(cfg.attributes)).parse({ ...employee(), ...hr });
  return { cfg, ...mapEmployee(record, cfg, { profile: 'genesys', today: TODAY }) };
}

describe('domain: the declarative mapping', () => {
  describe('target paths', () => {
    const cases: [string, ReturnType<typeof parseTargetPath>][] = [
      ['title', { schema: URN.user, attribute: 'title' }],
      ['name.middleName', { schema: URN.user, attribute: 'name', sub: 'middleName' }],
      ['phoneNumbers[type eq "mobile"].value', { schema: URN.user, attribute: 'phoneNumbers', type: 'mobile', sub: 'value' }],
      [`${URN.enterpriseUser}:costCenter`, { schema: URN.enterpriseUser, attribute: 'costCenter' }],
      [`${URN.user}:title`, { schema: URN.user, attribute: 'title' }],
      [SKILLS, { schema: G, attribute: 'routingSkills' }],
      ['phoneNumbers[type eq "mobile"]', undefined],
      ['title;drop', undefined],
    ];
    for (const [raw, want] of cases) it(raw, () => assert.deepEqual(parseTargetPath(raw), want));
  });

  describe('config errors name the entry and the key', () => {
    const bad: [string, AttributeMappingInput, RegExp][] = [
      ['no source', { target: 'title' }, /exactly one source/],
      ['two sources', { target: 'title', from: 'a', constant: 'x' }, /exactly one source/],
      ['bad path', { target: 'phone numbers', from: 'a' }, /not a target path/],
      ['built by hrsync', { target: 'userName', from: 'email' }, /set by hrsync itself/],
      ['proficiency out of range', { target: SKILLS, constant: [{ name: 'Billing', proficiency: 7 }] }, /proficiency must be 0 to 5/],
      ['more than 50 skills', { target: SKILLS, constant: Array.from({ length: 51 }, (_, i) => `S${i}`) }, /at most 50 routingSkills/],
      ['a list into a single attribute', { target: 'title', from: 'job_code', lookup: { A: ['x', 'y'] } }, /takes one value/],
      ['lookup without from', { target: 'title', template: '{x}', lookup: { A: 'b' } }, /needs `from`/],
      ['unknown transform', { target: 'title', from: 'a', transforms: ['reverse' as never] }, /transforms/],
    ];
    for (const [what, entry, re] of bad) {
      it(what, () => {
        const r = MappingConfigSchema.safeParse({ attributes: [entry] });
        assert.equal(r.success, false);
        const text = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n') ?? '';
        assert.match(text, re);
        assert.match(text, /^attributes\.0/m);
      });
    }
    it('two entries on one attribute', () => {
      const r = MappingConfigSchema.safeParse({ attributes: [{ target: 'title', from: 'a' }, { target: 'Title', from: 'b' }] });
      assert.equal(r.success, false);
      assert.match(r.error?.issues[0].message ?? '', /already mapped by entry 1/);
    });
  });

  describe('evaluation', () => {
    it('a template with fallbacks, trimmed', () => {
      const { desired } = mapped([{ target: 'nickName', template: '{preferred_name|first_name} {last_name}' }], { preferred_name: ' Addie ' });
      assert.equal(desired.mapped?.nickName, 'Addie Lovelace');
      assert.equal(mapped([{ target: 'nickName', template: '{preferred_name|first_name} {last_name}' }]).desired.mapped?.nickName, 'Ada Lovelace');
    });
    it('lower, upper, E.164 and date format', () => {
      const { desired, warnings } = mapped(
        [
          { target: 'userType', from: 'job_code', transforms: ['lower'] },
          { target: `${URN.enterpriseUser}:costCenter`, from: 'cost_center', transforms: ['trim', 'upper'] },
          { target: 'phoneNumbers[type eq "mobile"].value', from: 'mobile', transforms: ['e164'] },
          { target: 'locale', from: 'hire_date', transforms: [{ date: 'DD.MM.YYYY' }] },
        ],
        { job_code: 'AGT1', cost_center: ' cc 12 ', mobile: '+49 (30) 1234-567', hire_date: '2021-03-04' },
      );
      assert.deepEqual(desired.mapped, {
        userType: 'agt1',
        [`${URN.enterpriseUser}:costCenter`]: 'CC 12',
        'phoneNumbers[type eq "mobile"].value': '+49301234567',
        locale: '04.03.2021',
      });
      assert.deepEqual(warnings, []);
    });
    it('a phone that is not E.164 is left unmapped with a warning', () => {
      const { desired, warnings } = mapped([{ target: 'phoneNumbers[type eq "mobile"].value', from: 'mobile', transforms: ['e164'] }], { mobile: '030 1234' });
      assert.equal(desired.mapped, undefined);
      assert.match(warnings[0].message, /neither E\.164/);
    });
    it('a lookup to skills with proficiencies; plain names take the entry proficiency', () => {
      assert.deepEqual(mapped([JOB_SKILLS], { job_code: 'agt2' }).desired.mapped?.[SKILLS], [
        { name: 'Billing', proficiency: 5 },
        { name: 'Tech Support', proficiency: 1 },
      ]);
    });
    it('a job code the table lacks takes the default, with no warning', () => {
      const r = mapped([JOB_SKILLS], { job_code: 'NOPE' });
      assert.deepEqual(r.desired.mapped?.[SKILLS], []);
      assert.deepEqual(r.warnings, []);
    });
    it('split then lookup, item by item; unknown items warn', () => {
      const r = mapped([{ target: LANGS, from: 'languages', transforms: [{ split: ',' }], lookup: { en: { name: 'English', proficiency: 5 }, de: 'German' }, proficiency: 4 }], { languages: 'en, de,fr' });
      assert.deepEqual(r.desired.mapped?.[LANGS], [{ name: 'English', proficiency: 5 }, { name: 'German', proficiency: 4 }]);
      assert.match(r.warnings[0].message, /no lookup row for "fr"/);
    });
    it('an HR list copied to roles', () => {
      assert.deepEqual(mapped([{ target: 'roles', from: 'roles' }], { roles: ['Agent', 'agent', 'Supervisor'] }).desired.mapped?.roles, [{ value: 'Agent' }, { value: 'Supervisor' }]);
    });
    it('a condition on another field, with and without a default', () => {
      const entry: AttributeMappingInput = { target: 'userType', constant: 'Contractor', if: { field: 'worker_type', equals: ['contractor', 'temp'] } };
      assert.equal(mapped([entry], { worker_type: 'Temp' }).desired.mapped?.userType, 'Contractor');
      assert.equal(mapped([entry], { worker_type: 'staff' }).desired.mapped, undefined);
      assert.equal(mapped([{ ...entry, default: 'Employee' }], { worker_type: 'staff' }).desired.mapped?.userType, 'Employee');
    });
    it('an entry on a built-in attribute gives its value', () => {
      const { desired } = mapped(
        [
          { target: 'title', from: 'job_title' },
          { target: `${URN.enterpriseUser}:division`, from: 'location', lookup: { BER: 'EMEA' }, default: 'Home' },
        ],
        { job_title: 'Agent II', location: 'NYC', title: 'ignored' },
      );
      assert.equal(desired.title, 'Agent II');
      assert.equal(desired.division, 'Home');
      assert.equal(desired.mapped, undefined);
    });
    it('an empty HR value clears, unless clearEmptyAttributes is off', () => {
      assert.equal(mapped([{ target: 'nickName', from: 'nick' }]).desired.mapped?.nickName, null);
      assert.equal(mapped([{ target: 'nickName', from: 'nick' }], {}, { clearEmptyAttributes: false }).desired.mapped, undefined);
    });
    it('an HR field no mapping names is dropped', () => {
      const r = mapped([{ target: 'nickName', from: 'nick' }], { nick: 'Addie', salary: 100000 });
      assert.equal(r.desired.mapped?.nickName, 'Addie');
      assert.equal('salary' in employeeSchemaFor(['nick']).parse({ ...employee(), salary: 1 }), false);
    });
    it('the HR fields the mapping names', () => {
      const c = config({ attributes: [JOB_SKILLS, { target: 'nickName', template: '{preferred_name|first_name}', if: { field: 'worker_type', present: true } }] });
      assert.deepEqual(mappedHrFields(c.attributes), ['first_name', 'job_code', 'preferred_name', 'worker_type']);
    });
  });

  describe('sets: only what hrsync could have set is removed', () => {
    const ctx = (entries: AttributeMappingInput[]) => ({ config: config({ attributes: entries, managedAttributes: [] }), profile: 'genesys' as const });
    const withSkills = (skills: { name: string; proficiency: number }[]) => user({ [G]: { routingSkills: skills } } as never);

    it('a mover gains the new skills and loses only the mapped ones; a manual skill stays', () => {
      const { desired } = mapped([JOB_SKILLS], { job_code: 'AGT2' });
      const current = withSkills([
        { name: 'Billing', proficiency: 3 },
        { name: 'Sales', proficiency: 2 },
        { name: 'Spanish Desk', proficiency: 4 },
      ]);
      assert.deepEqual(diffUser(desired, current, ctx([JOB_SKILLS])), [
        { op: 'remove', path: `${SKILLS}[name eq "Billing"]` },
        { op: 'remove', path: `${SKILLS}[name eq "Sales"]` },
        { op: 'add', path: SKILLS, value: [{ name: 'Billing', proficiency: 5 }] },
        { op: 'add', path: SKILLS, value: [{ name: 'Tech Support', proficiency: 1 }] },
      ]);
    });
    it('names compare case-insensitively: nothing to do, no drift', () => {
      const { desired } = mapped([JOB_SKILLS], { job_code: 'AGT1' });
      const current = withSkills([{ name: 'billing', proficiency: 3 }, { name: 'SALES', proficiency: 2 }, { name: 'Manual', proficiency: 1 }]);
      assert.deepEqual(diffUser(desired, current, ctx([JOB_SKILLS])), []);
      assert.deepEqual(measureDrift(desired, current, ctx([JOB_SKILLS])), []);
    });
    it('a copied HR list owns the whole attribute', () => {
      const entry: AttributeMappingInput = { target: 'roles', from: 'roles' };
      const { desired } = mapped([entry], { roles: ['Agent'] });
      const ops = diffUser(desired, user({ roles: [{ value: 'Admin' }, { value: 'agent' }] }), ctx([entry]));
      assert.deepEqual(ops, [{ op: 'remove', path: 'roles[value eq "Admin"]' }]);
    });
    it('a name with a quote is escaped in the filter', () => {
      const entry: AttributeMappingInput = { target: SKILLS, constant: [] , default: [] };
      const c = ctx([{ ...entry, constant: ['Say "hi"'] }]);
      const { desired } = mapped([{ target: SKILLS, constant: [] }]);
      assert.deepEqual(diffUser(desired, withSkills([{ name: 'Say "hi"', proficiency: 0 }]), c), [{ op: 'remove', path: `${SKILLS}[name eq "Say \\"hi\\""]` }]);
    });
    it('when: create sets the value on the new user only', () => {
      const entries: AttributeMappingInput[] = [{ ...JOB_SKILLS, when: 'create' }, { target: `${URN.enterpriseUser}:costCenter`, from: 'cost_center' }];
      const { desired } = mapped(entries, { job_code: 'AGT1', cost_center: 'CC1' });
      const created = toNewUser(desired, ctx(entries));
      assert.deepEqual((created as Record<string, unknown>)[G], { routingSkills: [{ name: 'Billing', proficiency: 3 }, { name: 'Sales', proficiency: 2 }] });
      assert.equal((created as Record<string, Record<string, unknown>>)[URN.enterpriseUser].costCenter, 'CC1');
      assert.ok(created.schemas?.includes(G));
      assert.deepEqual(diffUser(desired, withSkills([]), ctx(entries)), [{ op: 'replace', path: `${URN.enterpriseUser}:costCenter`, value: 'CC1' }]);
    });
    it('a typed entry is added when missing, replaced when present', () => {
      const entry: AttributeMappingInput = { target: 'phoneNumbers[type eq "mobile"].value', from: 'mobile' };
      const { desired } = mapped([entry], { mobile: '+15550199' });
      assert.deepEqual(diffUser(desired, user({ phoneNumbers: [{ type: 'work', value: '+15550100' }] }), ctx([entry])), [
        { op: 'add', path: 'phoneNumbers', value: [{ type: 'mobile', value: '+15550199' }] },
      ]);
      assert.deepEqual(diffUser(desired, user({ phoneNumbers: [{ type: 'Mobile', value: '+15550000' }] }), ctx([entry])), [
        { op: 'replace', path: 'phoneNumbers[type eq "mobile"].value', value: '+15550199' },
      ]);
      assert.deepEqual(diffUser(desired, user({ phoneNumbers: [{ type: 'mobile', value: 'tel:+1-555-0199' }] }), ctx([entry])), [], 'phones compare by digits');
    });
  });
});

describe('domain: the README’s mappings are true', () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const yamlAfter = (marker: string) => {
    const at = readme.indexOf(marker);
    assert.ok(at >= 0, `README has no ${marker}`);
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
    return parseYaml(block?.[1] ?? '') as { mapping: Record<string, unknown> };
  };

  it('the default mapping, written as entries, maps a generated company exactly as the built-in defaults', () => {
    const written = config(yamlAfter('**The default mapping**').mapping);
    const builtIn = config();
    const company = generateCompany({ size: 300, seed: 5 });
    const schema = employeeSchemaFor(mappedHrFields(written.attributes));
    let compared = 0;
    for (const raw of company) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) continue;
      for (const profile of ['genesys', 'scim2'] as const) {
        const a: DesiredUser = mapEmployee(parsed.data, written, { profile, today: TODAY }).desired;
        const b: DesiredUser = mapEmployee(parsed.data, builtIn, { profile, today: TODAY }).desired;
        const last = parsed.data.last_name.toLowerCase();
        // The one thing a template can't say: a preferred name that already ends with the last name isn't doubled.
        if (parsed.data.preferred_name?.toLowerCase().endsWith(` ${last}`)) a.displayName = b.displayName;
        assert.deepEqual(a, b, `employee ${parsed.data.id}`);
        compared++;
      }
    }
    assert.ok(compared > 500);
  });

  it('the contact-centre example loads and checks against the Genesys profile, all but the entry the README says fails', () => {
    const c = config(yamlAfter('A complete contact-centre mapping').mapping);
    const problems = checkMappingAgainstTarget(c.attributes, null, 'genesys');
    assert.deepEqual(problems.map((p) => p.entry), ['mapping.attributes[5] "start date as the nick name, once"']);
  });
});
