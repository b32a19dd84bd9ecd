// @qwen-relay/contracts: what every package agrees on. The error root and its code table, the
// one guard, and the redactor that removes held secrets by value and credentials by shape.
// Pure: no fake upstream needed. `node examples/contracts.mjs`.
import {
  ERROR_CODES,
  isQwenRelayError,
  QwenRelayError,
  redactSecrets,
  registerSecret,
  unregisterSecret,
} from '@qwen-relay/contracts';

// 1. an error: its status comes from the table, both protocols' names too
const error = new QwenRelayError({ code: 'QWEN_RELAY_LOCK_TIMEOUT', message: 'Lock busy.' });
const row = ERROR_CODES[error.code];
console.log(
  `${error.code} → ${error.status} ${row.openAIType}/${row.openAICode} (Anthropic ${row.anthropicType})`,
);

// 2. an error that crossed a worker boundary as a plain object is still recognised
const crossed = structuredClone({ code: error.code, message: error.message });
console.log(`recognised after structuredClone: ${isQwenRelayError(crossed)}`);

// 3. redaction: by shape, then by value once the process holds the secret
const echoed =
  'upstream said: token 3f9c2a71b0d4e8f6a5c3 is not allowed; Authorization: Bearer qat_x9';
console.log(`by shape only: ${redactSecrets(echoed)}`);
registerSecret('3f9c2a71b0d4e8f6a5c3');
console.log(`by value too: ${redactSecrets(echoed)}`);
unregisterSecret('3f9c2a71b0d4e8f6a5c3');
