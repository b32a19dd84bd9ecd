/** A validation failure: the OpenAI-style `param` path and the reason. */
export interface ValidationIssue {
  param: string | null;
  message: string;
  /** a body nested too deep (QWEN_RELAY_NESTING_TOO_DEEP) rather than a wrong value */
  kind?: 'nesting-too-deep';
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
