import { QwenClientError } from './qwen-client-error';

/**
 * No account of the client serves the requested model (404 `model_not_found`). The message
 * names the closest served names, so a typo or a model outside every plan is obvious.
 */
export class ModelNotServedError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_MODEL_NOT_FOUND';
  readonly model: string;
  readonly closestModels: readonly string[];
  constructor({ model, closestModels }: { model: string; closestModels: readonly string[] }) {
    const suggestion =
      closestModels.length === 0 ? '' : ` Closest served models: ${closestModels.join(', ')}.`;
    super({
      message: `No account serves the model '${model}'.${suggestion} GET /v1/models lists every served model with the accounts serving it; an account serves its plan's models unless its "models" field says otherwise.`,
      code: 'QWEN_RELAY_MODEL_NOT_FOUND',
      param: 'model',
      retryable: false,
    });
    this.model = model;
    this.closestModels = closestModels;
  }
}
