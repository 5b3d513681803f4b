import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmployeeSchema, matchKeyOfEmail, type RawEmployee } from '../../../src/hr/employee';
import { DEPARTMENTS, generateCompany, UNKNOWN_DEPARTMENT_CODES } from '../../../sim/hr/company';
import { main } from '../../../sim/hr/generate';

const NOW = '2026-01-15T00:00:00.000Z';

/** Checks the management tree; returns the spans of every manager. */
function assertTree(company: RawEmployee[]): number[] {
  const byId = new Map(company.map((e) => [String(e.id), e]));
  assert.equal(byId.size, company.length, 'ids are unique');
  const roots = company.filter((e) => e.manager_employee_id === null);
  assert.equal(roots.length, 1, 'one CEO');
  const spans = new Map<string, number>();
  for (const e of company) {
    if (e.manager_employee_id === null) continue;
    const m = String(e.manager_employee_id);
    assert.ok(byId.has(m), `manager ${m} of ${e.id} exists`);
    spans.set(m, (spans.get(m) ?? 0) + 1);
  }
  // Every chain reaches the CEO in fewer steps than there are people: no cycles.
  for (const e of company) {
    let at: RawEmployee | undefined = e;
    let steps = 0;
    while (at && at.manager_employee_id !== null && steps <= company.length) {
      at = byId.get(String(at.manager_employee_id));
      steps++;
    }
    assert.equal(at, roots[0], `${e.id} reaches the CEO`);
  }
  return [...spans.values()];
}

describe('company generator', function () {
  it('is deterministic from the seed (and now)', function () {
    const a = generateCompany({ size: 500, seed: 42, now: NOW });
    assert.deepEqual(generateCompany({ size: 500, seed: 42, now: NOW }), a);
    assert.notDeepEqual(generateCompany({ size: 500, seed: 43, now: NOW }), a);
  });

  it('builds a real management tree with spans of 3 to 12, in no particular order', function () {
    for (const size of [1, 2, 10, 57, 2000]) {
      const company = generateCompany({ size, seed: size, now: NOW });
      assert.equal(company.length, size);
      const spans = assertTree(company);
      assert.ok(spans.every((s) => s >= 1 && s <= 12), `spans within 1..12 for ${size}`);
      // Only the last manager filled may have fewer than 3 (and the CEO of a tiny company).
      assert.ok(spans.filter((s) => s < 3).length <= 2, `spans ${spans}`);
    }
    const company = generateCompany({ size: 2000, seed: 1, now: NOW });
    const position = new Map(company.map((e, i) => [String(e.id), i]));
    const reportsFirst = company.filter((e) => e.manager_employee_id !== null && position.get(String(e.manager_employee_id))! > position.get(String(e.id))!);
    assert.ok(reportsFirst.length > 100, 'reports often come before their managers');
  });

  it('makes valid, realistic records: unique emails, E.164 phones, past dates, mostly active, known and unknown departments', function () {
    const company = generateCompany({ size: 3000, seed: 8, now: NOW });
    const emails = new Set(company.map((e) => matchKeyOfEmail(String(e.email))));
    assert.equal(emails.size, company.length, 'emails unique case-insensitively');
    const today = NOW.slice(0, 10);
    const count = (f: (e: RawEmployee) => boolean) => company.filter(f).length;
    for (const e of company) {
      const parsed = EmployeeSchema.safeParse(e);
      assert.ok(parsed.success, `${e.id}: ${parsed.error?.message}`);
      if (e.work_phone !== null) assert.match(String(e.work_phone), /^\+[1-9]\d{7,14}$/);
      assert.ok(String(e.hire_date) < today);
      assert.ok(Date.parse(String(e.updated_at)) < Date.parse(NOW));
      if (e.status === 'terminated') assert.ok(e.termination_date && e.termination_date < today && e.termination_date > String(e.hire_date));
      else assert.equal(e.termination_date, null);
    }
    assert.ok(count((e) => e.status === 'active') > 0.9 * company.length);
    assert.ok(count((e) => e.status === 'leave') > 10);
    assert.ok(count((e) => e.status === 'terminated') > 10);
    assert.ok(count((e) => e.division === 'Home') > 0.9 * company.length);
    const departments = new Set(company.map((e) => String(e.department_code)));
    for (const code of [...Object.keys(DEPARTMENTS), ...UNKNOWN_DEPARTMENT_CODES]) assert.ok(departments.has(code), code);
    assert.equal(new Set(company.map((e) => e.employee_number)).size, company.length);
  });

  it('makes about 1% tricky on purpose, and they are still valid', function () {
    const company = generateCompany({ size: 1200, seed: 4, now: NOW });
    const names = company.map((e) => `${e.first_name} ${e.last_name} ${e.preferred_name ?? ''}`);
    const has = (re: RegExp) => names.some((n) => re.test(n));
    assert.ok(has(/O'Brien/), 'apostrophe');
    assert.ok(has(/"Bobby"/), 'quotes');
    assert.ok(has(/José Müller/), 'accents');
    assert.ok(has(/太郎 山田/), 'CJK');
    assert.ok(has(/\p{Extended_Pictographic}/u), 'emoji');
    assert.ok(company.some((e) => String(e.last_name).length > 100), 'a very long name');
    assert.ok(company.some((e) => /\+/.test(String(e.email))), 'plus-addressed email');
    assert.ok(company.some((e) => /[A-Z]/.test(String(e.email))), 'mixed-case email');
    const tricky = names.filter((n) => /[^\x20-\x7e]|['"]/.test(n)).length;
    assert.ok(tricky >= 6 && tricky <= 24, `about 1%: ${tricky}`);
  });

  it('generates 100,000 employees, a valid tree', function () {
    const company = generateCompany({ size: 100_000, seed: 1, now: NOW });
    assert.equal(company.length, 100_000);
    const spans = assertTree(company);
    assert.ok(Math.max(...spans) <= 12);
  });

  it('writes JSON from the command line', function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'hr-gen-'));
    try {
      const out = path.join(dir, 'company.json');
      const said: string[] = [];
      const io = { stdout: { write: (t: string) => said.push(t) }, stderr: { write: (t: string) => said.push(t) } };
      assert.equal(main(['--size', '25', '--seed', '3', '--now', NOW, '--out', out], io), 0);
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), generateCompany({ size: 25, seed: 3, now: NOW }));
      assert.equal(main(['--size', 'lots'], io), 2);
      assert.match(said.join(''), /wrote 25 employees[\s\S]*--size must be a positive integer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
