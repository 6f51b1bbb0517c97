/** A journal record as read back: a `type` and fields a kind checks before it trusts them. */
export type JournalRecord = { readonly type: string; readonly [field: string]: unknown };

/** A journal record that cannot belong to the run it is in (the reason names what is wrong). */
export class RecordError extends Error {}
