import assert from 'node:assert/strict';
import { consoleOutput } from '../../src/cli/sync';
import { escapeControl } from '../../src/report/escape';

describe('control characters in HR values', () => {
  const rows: [string, string][] = [
    ['plain Ünïcødé name', 'plain Ünïcødé name'],
    ['tab\tkept', 'tab\tkept'],
    ['line\nbreak', 'line\\nbreak'],
    ['carriage\rreturn', 'carriage\\rreturn'],
    ['\u001b[2J\u001b[31mred', '\\u001b[2J\\u001b[31mred'],
    ['bell\u0007', 'bell\\u0007'],
    ['\u009bcsi', '\\u009bcsi'],
    ['rtl \u202eevil', 'rtl \\u202eevil'],
    ['isolate \u2067x\u2069', 'isolate \\u2067x\\u2069'],
    ['nul\u0000', 'nul\\u0000'],
  ];
  for (const [input, expected] of rows) {
    it(`escapes ${JSON.stringify(input)}`, () => assert.equal(escapeControl(input), expected));
  }

  it('are escaped in what the CLI prints to the terminal', () => {
    const printed: string[] = [];
    const { log, error } = console;
    console.log = (line: string) => void printed.push(line);
    console.error = (line: string) => void printed.push(line);
    try {
      consoleOutput.out('  HR 7  \u001b]0;owned\u0007Mallory\nFAKE LINE');
      consoleOutput.err('reason: \u001b[2J');
    } finally {
      console.log = log;
      console.error = error;
    }
    assert.deepEqual(printed, ['  HR 7  \\u001b]0;owned\\u0007Mallory\\nFAKE LINE', 'reason: \\u001b[2J']);
  });
});
