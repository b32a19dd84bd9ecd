import OpenAI from 'openai';

/** An official `openai` client whose fetch answers every request with `body` as an SSE stream (no network). */
export function createFakeOpenAIClient({ body }: { body: Uint8Array }): OpenAI {
  const fakeFetch = async (): Promise<Response> =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          // deliver in small reads so the client's own SSE decoder sees split lines too
          for (let offset = 0; offset < body.length; offset += 7)
            controller.enqueue(body.slice(offset, offset + 7));
          controller.close();
        },
      }),
      { status: 200, headers: { 'content-type': 'text/event-stream' } },
    );
  return new OpenAI({
    apiKey: 'test-key',
    baseURL: 'http://fake.invalid/v1',
    fetch: fakeFetch,
    maxRetries: 0,
  });
}
