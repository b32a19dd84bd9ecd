// A consumer's view of the published packages: only public entry points, NodeNext resolution.
import { convertErrorToOpenAIError, createChatStreamTransform } from '@qwen-relay/openai-adapter';
import { createQwenClient, type TokenSource } from '@qwen-relay/qwen-client';
import { createApiKeyTokenSource, createQwenOAuthTokenManager } from '@qwen-relay/token-manager';

const manager = createQwenOAuthTokenManager({
  accountId: 'default',
  credentialsPath: '/nonexistent/oauth_creds.json',
});
const apiKey = createApiKeyTokenSource({ apiKey: 'sk-example' });
// token-manager satisfies qwen-client's TokenSource structurally (no import between them)
const accounts: TokenSource[] = [manager, apiKey];
const client = createQwenClient({ accounts });
const transform = createChatStreamTransform({ clientModel: 'coder-model', includeUsage: false });
const envelope = convertErrorToOpenAIError(new Error('x'));

export { client, envelope, transform };
