// A consumer's view of the published packages: only public entry points, NodeNext resolution.
import { isQwenRelayError, redactSecrets, type TokenSource } from '@qwen-relay/contracts';
import { isProcessAlive } from '@qwen-relay/contracts/node';
import { convertErrorToOpenAIError, createChatStreamTransform } from '@qwen-relay/openai-adapter';
import { createToolCallRepairState } from '@qwen-relay/openai-adapter/internal';
import { createQwenClient } from '@qwen-relay/qwen-client';
import { createApiKeyTokenSource, createQwenOAuthTokenManager } from '@qwen-relay/token-manager';

const manager = createQwenOAuthTokenManager({
  accountId: 'default',
  credentialsPath: '/nonexistent/oauth_creds.json',
});
const apiKey = createApiKeyTokenSource({ apiKey: 'sk-example' });
// token-manager's sources are the TokenSource of @qwen-relay/contracts that qwen-client takes
const accounts: TokenSource[] = [manager, apiKey];
const client = createQwenClient({ accounts });
const transform = createChatStreamTransform({ clientModel: 'coder-model', includeUsage: false });
const envelope = convertErrorToOpenAIError(new Error('x'));
const known: boolean = isQwenRelayError(envelope);
const redacted: string = redactSecrets('Bearer sk-example-secret-value');
const alive: boolean = isProcessAlive(process.pid);
const toolCallState = createToolCallRepairState();

export { alive, client, envelope, known, redacted, toolCallState, transform };
