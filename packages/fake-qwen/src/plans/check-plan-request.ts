import { createInvalidApiKeyBody, createUpstreamErrorBody } from '../errors/upstream-error-bodies';
import type { FakePlanHost, FakePlanType } from './plan-hosts';
import type { PlanKeyStore } from './plan-key-store';

/** An error answer of a plan host. */
export interface PlanRejection {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The checks a Model Studio host makes before it serves a request, in order: the key (product
 * and region must match the host), then the model (must be in the plan's list). Bodies follow
 * docs/plans-and-protocols.md §3.1 and §3.3 and the Coding Plan FAQ; `null` when the request may proceed.
 */
export function checkPlanRequest({
  host,
  bearer,
  model,
  keys,
  planModels,
}: {
  host: FakePlanHost;
  bearer: string | undefined;
  model: unknown;
  keys: PlanKeyStore;
  planModels: Readonly<Record<FakePlanType, readonly string[]>>;
}): PlanRejection | null {
  const key = bearer === undefined ? undefined : keys.lookup(bearer);
  const keyFits = key !== undefined && key.type === host.type && key.region === host.region;
  if (!keyFits) return rejectKey({ host, keyType: key?.type });
  if (typeof model !== 'string' || planModels[host.type].includes(model)) return null;
  if (host.type === 'standard') {
    return {
      status: 404,
      body: createUpstreamErrorBody({
        code: 'model_not_found',
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
      }),
    };
  }
  // the FAQ's wording; code and type follow DashScope's other 400s (assumed)
  return {
    status: 400,
    body: createUpstreamErrorBody({
      code: 'invalid_parameter_error',
      message: `model '${model}' is not supported`,
      type: 'invalid_request_error',
    }),
  };
}

function rejectKey({
  host,
  keyType,
}: {
  host: FakePlanHost;
  keyType: FakePlanType | undefined;
}): PlanRejection {
  switch (host.type) {
    case 'coding-plan':
      // a general sk- key, an expired plan or a bad copy (Coding Plan FAQ)
      return { status: 401, body: createInvalidApiKeyBody() };
    case 'token-plan':
      return {
        status: 401,
        body: createUpstreamErrorBody({
          code: 'invalid_api_key',
          message: 'Invalid API-key provided.',
          type: 'invalid_request_error',
        }),
      };
    case 'standard':
      // a plan key on the general-purpose host: the FAQ's "403 invalid api-key"
      if (keyType === 'coding-plan' || keyType === 'token-plan') {
        return {
          status: 403,
          body: createUpstreamErrorBody({
            code: 'invalid_api_key',
            message: 'invalid api-key',
            type: 'invalid_request_error',
          }),
        };
      }
      // unknown key, or a pay-as-you-go key of another region
      return {
        status: 401,
        body: createUpstreamErrorBody({
          code: 'invalid_api_key',
          message: 'Incorrect API key provided. ',
          type: 'invalid_request_error',
        }),
      };
  }
}
