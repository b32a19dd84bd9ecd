/** What a validation attempt returns: the parsed request, or the error the route answers with. */
export type FuzzParseResult = { success: true; data: unknown } | { success: false; error: unknown };

/**
 * One request parser and its route, as the fuzz harness drives them: at the parser level
 * (`safeParse`, then `convert`, then serialising the upstream payload) and at the HTTP level
 * (POST `path` on the running proxy). An endpoint joins the harness by adding one of these to
 * REQUEST_FUZZ_TARGETS.
 */
export interface RequestFuzzTarget {
  name: string;
  /** the POST route, e.g. `/v1/chat/completions` */
  path: string;
  /** a body the route accepts, mutated field by field */
  validBody: Readonly<Record<string, unknown>>;
  /** field paths worth breaking (`a.b` nested, `a.0` array items), besides random names */
  fieldPaths: readonly string[];
  /** validates without throwing */
  safeParse(body: unknown): FuzzParseResult;
  /** maps a validated request to the upstream payload; may throw only 4xx errors */
  convert(data: unknown): unknown;
  /** the route's error mapping: status and body of the envelope it answers with */
  convertError(error: unknown): { status: number; body: unknown };
  /** true when `body` is this protocol's error envelope */
  isErrorEnvelope(body: unknown): boolean;
}
