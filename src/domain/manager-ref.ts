/** The manager's user id, when the manager has one (matched, or created earlier in the run). */
export function resolveManagerRef(
  managerHrId: string | null | undefined,
  idsByHrId: Readonly<Record<string, string>>,
): string | undefined {
  if (typeof managerHrId !== 'string') return undefined;
  return Object.hasOwn(idsByHrId, managerHrId) ? idsByHrId[managerHrId] : undefined;
}
