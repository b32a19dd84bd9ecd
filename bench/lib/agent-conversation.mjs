/**
 * A coding agent's request as Claude Code sends it, deterministic and about `sizeInKiB` long:
 * a system prompt in blocks, a set of tools with JSON schemas, and a history of turns that read
 * files and run commands (`tool_use` answered by `tool_result`). The bench's other bodies are a
 * one-line prompt; this one is what a day of agent use sends on every turn, so the proxy's
 * per-byte work (parse, validate, translate, serialise) shows against a pass-through that only
 * copies bytes.
 */

/** A pseudo-random generator (mulberry32): the same text on every run and machine. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'const',
  'return',
  'function',
  'await',
  'import',
  'export',
  'request',
  'response',
  'account',
  'stream',
  'token',
  'error',
  'the',
  'file',
  'test',
  'value',
  'if',
  'else',
  'for',
  'of',
  'new',
  'Map',
  'string',
  'number',
  'undefined',
  'config',
  'handler',
  'chunk',
  'upstream',
  'model',
];

function createText(random, lengthInChars) {
  let text = '';
  let line = 0;
  while (text.length < lengthInChars) {
    text += WORDS[Math.floor(random() * WORDS.length)];
    line += 1;
    // code-like lines, some indentation, the odd quote and escape a real file has
    if (line % 9 === 0) text += ';\n  ';
    else if (line % 23 === 0) text += ' "quoted\\tpart" ';
    else text += ' ';
  }
  return text.slice(0, lengthInChars);
}

function createTools(random, count) {
  return Array.from({ length: count }, (_, index) => ({
    name: `tool_${index}`,
    description: createText(random, 600),
    input_schema: {
      type: 'object',
      properties: {
        path: { type: 'string', description: createText(random, 120) },
        content: { type: 'string', description: createText(random, 80) },
        limit: { type: 'integer', minimum: 1, description: createText(random, 60) },
      },
      required: ['path'],
      additionalProperties: false,
    },
  }));
}

/** The request body (an object); `stream` as the client sets it. */
export function createAgentMessagesRequest({ sizeInKiB = 96, stream = false, model, seed = 7 }) {
  const random = createRandom(seed);
  const system = [
    { type: 'text', text: createText(random, 6000) },
    { type: 'text', text: createText(random, 3000), cache_control: { type: 'ephemeral' } },
  ];
  const tools = createTools(random, 16);
  const messages = [{ role: 'user', content: createText(random, 400) }];
  const target = sizeInKiB * 1024;
  let turn = 0;
  const size = () => JSON.stringify({ system, tools, messages }).length;
  while (size() < target) {
    const id = `toolu_${String(turn).padStart(6, '0')}`;
    messages.push({
      role: 'assistant',
      content: [
        { type: 'text', text: createText(random, 200) },
        { type: 'tool_use', id, name: 'tool_1', input: { path: `src/file-${turn}.ts` } },
      ],
    });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: id, content: createText(random, 2500) }],
    });
    turn += 1;
  }
  messages.push({ role: 'user', content: createText(random, 300) });
  return {
    model,
    max_tokens: 8192,
    // Claude Code names its user and session here
    metadata: {
      user_id: 'user_5d41402abc4b2a76_account__session_9b1a5c8d-7e6f-4a3b-8c2d-1e0f9a8b7c6d',
    },
    system,
    tools,
    messages,
    ...(stream ? { stream: true } : {}),
  };
}

/**
 * The same day of agent use as Codex sends it to the Responses API: instructions, function tools,
 * and an input history of messages, function calls and their outputs, about `sizeInKiB` long;
 * `store: false` and a `prompt_cache_key`, as Codex sets them.
 */
export function createAgentResponsesRequest({ sizeInKiB = 96, stream = false, model, seed = 11 }) {
  const random = createRandom(seed);
  const tools = createTools(random, 16).map(({ name, description, input_schema }) => ({
    type: 'function',
    name,
    description,
    parameters: input_schema,
    strict: false,
  }));
  const instructions = createText(random, 9000);
  const input = [
    {
      type: 'message',
      role: 'user',
      content: [{ type: 'input_text', text: createText(random, 400) }],
    },
  ];
  const target = sizeInKiB * 1024;
  let turn = 0;
  const size = () => JSON.stringify({ instructions, tools, input }).length;
  while (size() < target) {
    const callId = `call_${String(turn).padStart(6, '0')}`;
    input.push({
      type: 'function_call',
      name: 'tool_1',
      arguments: JSON.stringify({ path: `src/file-${turn}.ts` }),
      call_id: callId,
    });
    input.push({ type: 'function_call_output', call_id: callId, output: createText(random, 2500) });
    turn += 1;
  }
  input.push({
    type: 'message',
    role: 'user',
    content: [{ type: 'input_text', text: createText(random, 300) }],
  });
  return {
    model,
    instructions,
    input,
    tools,
    tool_choice: 'auto',
    parallel_tool_calls: false,
    store: false,
    prompt_cache_key: '3f2b6c1e-2d4a-4f7e-9b1a-5c8d7e6f4a3b',
    ...(stream ? { stream: true } : {}),
  };
}

/**
 * The same day of agent use in the chat completions dialect, as opencode, Cline and Roo send it:
 * a system message, function tools, and a history of assistant tool calls answered by tool
 * messages, about `sizeInKiB` long.
 */
export function createAgentChatRequest({ sizeInKiB = 96, stream = false, model, seed = 13 }) {
  const random = createRandom(seed);
  const tools = createTools(random, 16).map(({ name, description, input_schema }) => ({
    type: 'function',
    function: { name, description, parameters: input_schema },
  }));
  const messages = [
    { role: 'system', content: createText(random, 9000) },
    { role: 'user', content: createText(random, 400) },
  ];
  const target = sizeInKiB * 1024;
  let turn = 0;
  const size = () => JSON.stringify({ tools, messages }).length;
  while (size() < target) {
    const id = `call_${String(turn).padStart(6, '0')}`;
    messages.push({
      role: 'assistant',
      content: createText(random, 200),
      tool_calls: [
        {
          id,
          type: 'function',
          function: { name: 'tool_1', arguments: JSON.stringify({ path: `src/file-${turn}.ts` }) },
        },
      ],
    });
    messages.push({ role: 'tool', tool_call_id: id, content: createText(random, 2500) });
    turn += 1;
  }
  messages.push({ role: 'user', content: createText(random, 300) });
  return { model, messages, tools, ...(stream ? { stream: true } : {}) };
}
