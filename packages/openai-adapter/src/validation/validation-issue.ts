/** A validation failure: the OpenAI-style `param` path and the reason. */
export interface ValidationIssue {
  param: string | null;
  message: string;
}

/** Builds an issue whose message names the param the way OpenAI does. */
export function createValidationIssue({
  param,
  reason,
}: {
  param: string;
  reason: string;
}): ValidationIssue {
  return { param, message: `Invalid value for '${param}': ${reason}` };
}
