/**
 * The outcome of a parser. Parsers never throw: a bad input becomes
 * `{ ok: false, error }`, where `error` names the annotation (when known), the
 * bad value and the expected form.
 *
 * @public
 */
export type ParseResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: string };

/**
 * Options shared by every parser.
 *
 * @public
 */
export interface ParserOptions {
  /**
   * The name of the annotation (or field) being parsed, used as the prefix of
   * error messages, for example `prodready.dev/rto`.
   */
  annotation?: string;
}
