/** A string usable in an element id: lower case, `[a-z0-9-]` only. */
function slug(value: string): string {
  return value.toLocaleLowerCase('en-US').replace(/[^a-z0-9-]+/g, '-');
}

/** The element id of a check's result on the Readiness tab. */
export function checkAnchor(checkId: string): string {
  return `readiness-check-${slug(checkId)}`;
}

/** The element id of a checklist item on the Readiness tab. */
export function checklistItemAnchor(phaseId: string, itemId: string): string {
  return `readiness-item-${slug(phaseId)}--${slug(itemId)}`;
}
