/** Capability declarations: everything off unless a store says otherwise, frozen. */
import type { Capabilities, NameRule } from '../../src/core/source.js';

/** A frozen capability declaration: read-only, no versions, no batches, unbounded values, unless given. */
export function capabilities(
  declared: Partial<Omit<Capabilities, 'read'>> & { nameRule: NameRule },
): Capabilities {
  return Object.freeze({
    read: true,
    write: false,
    delete: false,
    list: false,
    versions: false,
    batchGet: false,
    binary: false,
    tags: false,
    maxValueBytes: undefined,
    ...declared,
    nameRule: Object.freeze({ ...declared.nameRule }),
  });
}
