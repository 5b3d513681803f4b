import type { User } from '../scim/model/resources/user';

export interface GroupChanges {
  /** Group ids to add the user to. */
  add: string[];
  /** Group ids to remove the user from. */
  remove: string[];
}

export interface GroupDiff extends GroupChanges {
  /** Desired group displayNames the target has no group for (Genesys can't create groups over SCIM). */
  unresolved: string[];
}

/** Looks a group up by displayName: exactly first, then ignoring case. */
export function groupIdOf(groupIdsByName: Readonly<Record<string, string>>, name: string): string | undefined {
  if (Object.hasOwn(groupIdsByName, name)) return groupIdsByName[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(groupIdsByName).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : groupIdsByName[key];
}

/**
 * Membership changes that bring the user's groups to `desiredGroupNames`. Only groups hrsync manages
 * (`managedGroupNames`: those named in the departments table) are ever removed; a membership someone
 * gave by hand in any other group stays.
 */
export function diffGroups(
  desiredGroupNames: readonly string[],
  currentGroups: User['groups'] | null | undefined,
  groupIdsByName: Readonly<Record<string, string>>,
  managedGroupNames: readonly string[],
): GroupDiff {
  const current = currentGroups ?? [];
  const byDisplay = (name: string) => current.find((g) => g.display?.toLowerCase() === name.toLowerCase())?.value;
  const unresolved: string[] = [];
  const desiredIds = new Set<string>();
  for (const name of desiredGroupNames) {
    // A membership the user already has counts even if the caller didn't look that group up.
    const id = groupIdOf(groupIdsByName, name) ?? byDisplay(name);
    if (id === undefined) unresolved.push(name);
    else desiredIds.add(id);
  }
  const managedIds = new Set<string>();
  const managedNames = new Set(managedGroupNames.map((n) => n.toLowerCase()));
  for (const name of managedGroupNames) {
    const id = groupIdOf(groupIdsByName, name);
    if (id !== undefined) managedIds.add(id);
  }
  for (const g of current) if (g.display !== undefined && managedNames.has(g.display.toLowerCase())) managedIds.add(g.value);
  const currentIds = new Set(current.map((g) => g.value));
  return {
    add: [...desiredIds].filter((id) => !currentIds.has(id)).sort(),
    remove: [...currentIds].filter((id) => managedIds.has(id) && !desiredIds.has(id)).sort(),
    unresolved,
  };
}
