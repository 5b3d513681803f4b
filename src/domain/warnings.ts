import type { MappingWarning, MappingWarningCode } from './mapping/map';

/**
 * What a warning is about, for a reader that decides (the report, a spreadsheet filter): the text is for
 * people and may be reworded; the code is not.
 */
export type WarningCode =
  | MappingWarningCode
  /** A future hire who already has an active account: kept active. */
  | 'early-account'
  /** A manager with no user yet: the reference waits for the end of the run. */
  | 'manager-pending'
  /** A group the department names is not in the target: that membership is not set. */
  | 'group-missing'
  /** A management cycle across the run: one member is written without the reference. */
  | 'management-cycle'
  /** HR sent the same id twice in one read: the later record is kept. */
  | 'duplicate-hr-record'
  /** A lookup the target refused or could not answer fully: the employee may exist under that key. */
  | 'lookup-incomplete'
  /** An attribute or operation the target refused: the rest was written without it. */
  | 'refused-attribute';

/** A warning on an employee's change, and on their report row. */
export interface Warning {
  code: WarningCode;
  text: string;
}

/** Each warning is worded here, once; producers call these and never build the text themselves. */
export const warnings = {
  ofMapping: (w: MappingWarning): Warning => ({ code: w.code, text: w.message }),
  earlyAccount: (dateHire: string | undefined): Warning => ({
    code: 'early-account',
    text: `starts on ${dateHire} but already has an active account; kept active`,
  }),
  managerPending: (managerHrId: string): Warning => ({
    code: 'manager-pending',
    text: `manager ${managerHrId} has no user in the target yet; the reference is retried at the end of the run`,
  }),
  groupMissing: (name: string): Warning => ({
    code: 'group-missing',
    text: `group ${JSON.stringify(name)} does not exist in the target; membership not set`,
  }),
  managementCycle: (cycle: readonly string[]): Warning => ({
    code: 'management-cycle',
    text: `management cycle ${[...cycle, cycle[0]].join(' -> ')}: manager reference not set`,
  }),
  duplicateHrRecord: (keptUpdatedAt: string | undefined, droppedUpdatedAt: string | undefined): Warning => ({
    code: 'duplicate-hr-record',
    text: `HR sent this id twice; kept the record updated at ${keptUpdatedAt}, dropped the one at ${droppedUpdatedAt}`,
  }),
  /** `note` says which lookup could not be asked or answered (worded where the lookup is made). */
  lookupIncomplete: (note: string): Warning => ({ code: 'lookup-incomplete', text: note }),
  /** `form` is the operation's form (`replace dateHire`, `create with manager`), `why` the refusal. */
  refusedAttribute: (form: string, why: string): Warning => ({ code: 'refused-attribute', text: `refused-attribute: ${form} ${why}` }),
} as const;
