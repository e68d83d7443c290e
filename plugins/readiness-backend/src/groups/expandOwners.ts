import type { GroupHierarchy } from './GroupHierarchy';

/**
 * An owner filter with each group replaced by the group and every group
 * under it, at every depth (`null`, for entities without an owner, and refs
 * that are no group stay as they are); without duplicates.
 */
export async function expandOwners(
  owners: ReadonlyArray<string | null>,
  groups: Pick<GroupHierarchy, 'descendantsOf'>,
): Promise<Array<string | null>> {
  const expanded = await Promise.all(
    owners.map(owner =>
      owner === null ? [null] : groups.descendantsOf(owner),
    ),
  );
  return [...new Set(expanded.flat())];
}
