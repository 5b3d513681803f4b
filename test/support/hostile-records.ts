import fc from 'fast-check';

/** Strings HR data should never be trusted with: formula and filter injection, controls, bidi and zero-width, huge. */
export const HOSTILE_TEXT = [
  '=HYPERLINK("http://evil","x")',
  '+1+1',
  '-2+3',
  '@SUM(A1:A2)',
  '\t=tab',
  '\r=cr',
  'line\n=break',
  'x"\n=quoted',
  'a" or "1" eq "1',
  'userName eq "admin@corp.example"',
  "O'Brien",
  '\u202Eevil\u202C',
  '\u2067isolate\u2069',
  'zero\u200Bwidth\u200D',
  '\u0000nul',
  '\u001b[2J\u001b[31mred',
  'עברית',
  'مرحبا',
  '\uFEFFbom',
  'x'.repeat(300),
  'y'.repeat(70_000),
  '',
  '   ',
];

const text = fc.oneof(fc.constantFrom(...HOSTILE_TEXT), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 12 }));
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}), fc.double());
const email = (i: number) => fc.oneof(fc.constant(`fuzz.${i}@corp.example`), fc.constant(`Fuzz.${i}+tag@Corp.Example`), text, wrongType);
const instant = fc.oneof(
  fc.integer({ min: -30, max: 0 }).map((d) => new Date(Date.now() + d * 86_400_000).toISOString()),
  fc.constantFrom('9999-12-31T00:00:00Z', 'not a date', '2026-02-31T00:00:00Z'),
  wrongType,
);
const day = fc.oneof(fc.integer({ min: -3000, max: 60 }).map((d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10)), fc.constantFrom('2024-02-31', '31/12/2024'), text, wrongType);

/**
 * An HR record as a broken or hostile export may send it: each field right, wrong-typed, missing,
 * huge or poisoned. `i` keeps ids (and good emails) unique, as the HR API's store does; some ids are
 * themselves injection strings.
 */
export function hostileRecord(i: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.oneof(brokenRecord(i), validButPoisoned(i));
}

/** Poisoned text that is still a valid value: it must sync, and sit harmlessly in reports and terminals. */
const poisoned = fc.constantFrom(...HOSTILE_TEXT.filter((t) => t.trim() !== '' && t.length <= 256));

/** Every field of the right type and within bounds, the free text poisoned: such a record is synced. */
function validButPoisoned(i: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    id: fc.constantFrom(`F${i}`, `F${i}" or "1" eq "1`, `=F${i}`, `F${i}\u202E`),
    first_name: poisoned,
    last_name: poisoned,
    preferred_name: fc.oneof(poisoned, fc.constant(null)),
    email: fc.constantFrom(`fuzz.${i}@corp.example`, `Fuzz.${i}+tag@Corp.Example`),
    department_code: fc.constantFrom('SALES', 'ENG', 'sales', 'BOGUS', null, '', '=X'),
    title: fc.oneof(poisoned, fc.constant(null)),
    work_phone: fc.constantFrom('+1 555 0100', '+15550100', '=1+1', null, '\u202E+1 555'),
    employee_number: fc.constantFrom(`N${i}`, null),
    division: fc.oneof(poisoned, fc.constant(null)),
    status: fc.constantFrom('active', 'leave', 'terminated'),
    hire_date: fc.constant(null),
    termination_date: fc.constant(null),
    updated_at: fc.integer({ min: -30, max: 0 }).map((d) => new Date(Date.now() + d * 86_400_000).toISOString()),
    salary: fc.integer(),
    photo: fc.constant('data:image/png;base64,AAAA'),
  });
}

function brokenRecord(i: number): fc.Arbitrary<Record<string, unknown>> {
  const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: wrongType });
  return fc
    .record(
      {
        id: fc.constantFrom(`F${i}`, `F${i}" or "1" eq "1`, `=F${i}`, `F${i}\u202E`),
        first_name: field(fc.constantFrom('Ada', 'José', '太郎', '=cmd')),
        last_name: field(fc.constantFrom('Lovelace', "O'Brien", 'Müller')),
        preferred_name: field(fc.constantFrom('Bobby', null)),
        email: email(i),
        department_code: field(fc.constantFrom('SALES', 'ENG', 'sales', 'BOGUS', null, '')),
        title: field(fc.constantFrom('Analyst', '@lead', null)),
        work_phone: field(fc.constantFrom('+1 555 0100', '+15550100', '=1+1', null)),
        employee_number: field(fc.constantFrom(`N${i}`, null)),
        division: field(fc.constantFrom('Home', null)),
        status: fc.oneof(fc.constantFrom('active', 'leave', 'terminated', 'retired'), wrongType),
        hire_date: day,
        termination_date: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: day }),
        updated_at: instant,
        salary: fc.integer(),
        photo: fc.constant('data:image/png;base64,AAAA'),
      },
      { requiredKeys: ['id'] },
    );
}
