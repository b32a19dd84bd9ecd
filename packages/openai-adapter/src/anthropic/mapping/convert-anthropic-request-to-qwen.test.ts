import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicMessagesRequest } from '../types/anthropic-messages-request';
import { safeParseAnthropicMessagesRequest } from '../validation/parse-anthropic-messages-request';
import {
  convertAnthropicRequestToQwen,
  estimateAnthropicInputTokens,
} from './convert-anthropic-request-to-qwen';

// Claude Code request shapes (2.1.x): billing line in system[0], cache_control on blocks,
// `$schema` in tool schemas, metadata.user_id, beta-only `input_examples`, thinking budgets
function loadRequest(name: string): AnthropicMessagesRequest {
  const body: unknown = JSON.parse(
    readFileSync(new URL(`../__fixtures__/${name}.json`, import.meta.url), 'utf8'),
  );
  const parsed = safeParseAnthropicMessagesRequest(body);
  if (!parsed.success) throw parsed.error;
  return parsed.data;
}

function convert(request: AnthropicMessagesRequest) {
  return convertAnthropicRequestToQwen({ request, modelAliases: {} });
}

describe('convertAnthropicRequestToQwen with Claude Code requests', () => {
  it('first turn: system without the billing line, user blocks joined, tools stripped to name/description/parameters', () => {
    const { payload, clientModel, stream, estimatedInputTokens } = convert(
      loadRequest('claude-code-first-turn'),
    );
    expect(clientModel).toBe('claude-sonnet-4-5-20250929');
    expect(stream).toBe(true);
    expect(payload.stream_options).toEqual({ include_usage: true });
    expect(payload.max_tokens).toBe(32000);
    expect(payload.temperature).toBe(1);
    expect(payload.user).toMatch(/^user_[0-9a-f]{64}_account__session_/);
    const messages = payload.messages as Array<Record<string, unknown>>;
    expect(messages[0]?.role).toBe('system');
    expect(messages[0]?.content).toMatch(/^You are Claude Code, Anthropic's official CLI/);
    expect(JSON.stringify(payload)).not.toContain('x-anthropic-billing-header');
    expect(JSON.stringify(payload)).not.toContain('cch=');
    expect(messages[1]).toEqual({
      role: 'user',
      content: expect.stringMatching(/<\/system-reminder>\n\nlist the TypeScript files/),
    });
    const tools = payload.tools as Array<{ type: string; function: Record<string, unknown> }>;
    expect(tools.map((tool) => tool.function.name)).toEqual([
      'Bash',
      'Glob',
      'Read',
      'Edit',
      'TodoWrite',
    ]);
    for (const tool of tools) {
      expect(Object.keys(tool)).toEqual(['type', 'function']);
      expect(Object.keys(tool.function).sort()).toEqual(['description', 'name', 'parameters']);
    }
    expect(JSON.stringify(tools)).not.toContain('input_examples');
    expect(JSON.stringify(tools)).not.toContain('cache_control');
    expect(estimatedInputTokens).toBeGreaterThan(300);
  });

  it('tool-result turn: tool_use → tool_calls, tool_result → tool messages (is_error marked, nested text kept)', () => {
    const { payload } = convert(loadRequest('claude-code-tool-result-turn'));
    const messages = (payload.messages as Array<Record<string, unknown>>).slice(2);
    expect(messages[0]).toEqual({
      role: 'assistant',
      content: "I'll look for them.",
      tool_calls: [
        {
          id: 'toolu_01A09q90qw90lq917835lq9',
          type: 'function',
          function: { name: 'Glob', arguments: '{"pattern":"apps/proxy/src/http/*.ts"}' },
        },
        {
          id: 'toolu_01B7xk2Yh3Jm4Np5Qr6St7Uv',
          type: 'function',
          function: {
            name: 'Bash',
            arguments:
              '{"command":"ls apps/proxy/src/http | wc -l","description":"Count files in the http folder"}',
          },
        },
      ],
    });
    expect(messages[1]).toEqual({
      role: 'tool',
      tool_call_id: 'toolu_01A09q90qw90lq917835lq9',
      content: expect.stringContaining('match-route.ts'),
    });
    expect(messages[2]).toEqual({
      role: 'tool',
      tool_call_id: 'toolu_01B7xk2Yh3Jm4Np5Qr6St7Uv',
      content: "Error: ls: cannot access 'apps/proxy/src/http': No such file or directory",
    });
    expect(messages).toHaveLength(3);
  });

  it('thinking turn: budget → enable_thinking + thinking_budget, history thinking → reasoning_content, image → data URL', () => {
    const { payload } = convert(loadRequest('claude-code-thinking-turn'));
    expect(payload.enable_thinking).toBe(true);
    expect(payload.thinking_budget).toBe(31999);
    expect(payload).not.toHaveProperty('thinking');
    const messages = payload.messages as Array<Record<string, unknown>>;
    expect(messages[2]).toEqual({
      role: 'assistant',
      content: 'It waits for `drain`.',
      reasoning_content: 'The test waits for a drain event that never comes.',
    });
    expect(messages[3]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'fix it' },
        {
          type: 'image_url',
          image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) },
        },
      ],
    });
  });

  it('maps tool_choice, stop_sequences, top_k and top_p; leaves server tools out', () => {
    const base = {
      model: 'qwen3-coder-plus',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'hi' }],
      stop_sequences: ['END'],
      top_k: 20,
      top_p: 0.8,
      tools: [
        { name: 'get_weather', input_schema: { type: 'object', properties: {} } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
      ],
    };
    const choices = [
      [{ type: 'auto' }, { tool_choice: 'auto' }],
      [
        { type: 'any', disable_parallel_tool_use: true },
        { tool_choice: 'required', parallel_tool_calls: false },
      ],
      [
        { type: 'tool', name: 'get_weather' },
        { tool_choice: { type: 'function', function: { name: 'get_weather' } } },
      ],
      [{ type: 'none' }, { tool_choice: 'none' }],
    ] as const;
    for (const [toolChoice, expected] of choices) {
      const { payload } = convert({ ...base, tool_choice: toolChoice } as AnthropicMessagesRequest);
      expect(payload).toMatchObject({ ...expected, stop: ['END'], top_k: 20, top_p: 0.8 });
      expect((payload.tools as unknown[]).length).toBe(1);
    }
  });

  it('disabled thinking turns it off; a system string of only the billing line sends no system message', () => {
    const { payload } = convert({
      model: 'm',
      max_tokens: 10,
      system: 'x-anthropic-billing-header: cc_version=2.1.84.c8e; cc_entrypoint=cli; cch=1;',
      thinking: { type: 'disabled' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(payload.enable_thinking).toBe(false);
    expect(payload.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });
});

describe('convertAnthropicRequestToQwen thinking, through the model family knob', () => {
  const withThinking = (model: string, thinking: AnthropicMessagesRequest['thinking']) =>
    convert({
      model,
      max_tokens: 64_000,
      messages: [{ role: 'user', content: 'hi' }],
      ...(thinking === undefined ? {} : { thinking }),
    }).payload;

  it('gives tiered models (qwen3.8+) the reasoning_effort tier nearest the budget, never a budget', () => {
    const tiers = [
      [1_024, 'low'],
      [4_000, 'medium'],
      [10_000, 'medium'],
      [31_999, 'xhigh'],
    ] as const;
    for (const [budget, tier] of tiers) {
      const payload = withThinking('qwen3.8-max', { type: 'enabled', budget_tokens: budget });
      expect(payload.reasoning_effort).toBe(tier);
      expect(payload).not.toHaveProperty('thinking_budget');
      expect(payload).not.toHaveProperty('enable_thinking');
    }
    expect(withThinking('qwen3.8-max', { type: 'adaptive' }).reasoning_effort).toBe('xhigh');
    expect(withThinking('qwen3.8-max', { type: 'disabled' }).reasoning_effort).toBe('none');
  });

  it('never turns thinking off for a thinking-only model, and sends nothing without thinking', () => {
    expect(withThinking('qwen3.8-max-preview', { type: 'disabled' }).reasoning_effort).toBe('low');
    const qwq = withThinking('qwq-plus', { type: 'disabled' });
    expect(qwq.enable_thinking).toBe(true);
    const plain = withThinking('qwen3-coder-plus', undefined);
    expect(plain).not.toHaveProperty('enable_thinking');
    expect(plain).not.toHaveProperty('reasoning_effort');
    expect(plain).not.toHaveProperty('thinking_budget');
  });

  it('gives budget-knob families the budget as asked', () => {
    const payload = withThinking('qwen3-coder-plus', { type: 'enabled', budget_tokens: 4_000 });
    expect(payload).toMatchObject({ enable_thinking: true, thinking_budget: 4_000 });
    expect(payload).not.toHaveProperty('reasoning_effort');
  });
});

describe('estimateAnthropicInputTokens', () => {
  it('is never 0 for a non-empty request and grows with the content', () => {
    const small = estimateAnthropicInputTokens({
      model: 'm',
      messages: [{ role: 'user', content: 'foo' }],
    });
    expect(small).toBeGreaterThan(0);
    const body = JSON.parse(
      readFileSync(
        new URL('../__fixtures__/claude-code-count-tokens.json', import.meta.url),
        'utf8',
      ),
    );
    const withTools = estimateAnthropicInputTokens(body);
    expect(withTools).toBeGreaterThan(small + 300);
  });
});
