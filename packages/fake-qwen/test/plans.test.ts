import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeEgressProxy } from '../src/egress/start-fake-egress-proxy';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import type { FakeQwen } from '../src/types';

interface PlanAnswer {
  model?: string;
  data?: unknown[];
  error: { code: string; message: string };
}

async function post(url: string, key: string | undefined, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as PlanAnswer };
}

const chatBody = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('plan hosts', () => {
  let fake: FakeQwen;
  beforeEach(async () => {
    fake = await startFakeQwen();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('issues sk-sp- keys for Coding Plan and sk- keys for the others', () => {
    expect(fake.issuePlanKey({ type: 'coding-plan' })).toMatch(/^sk-sp-[0-9a-f]{32}$/);
    const standard = fake.issuePlanKey({ type: 'standard', region: 'cn' });
    expect(standard).toMatch(/^sk-[0-9a-f]{32}$/);
    expect(fake.issuePlanKey({ type: 'token-plan' }).startsWith('sk-sp-')).toBe(false);
    expect(fake.planBaseUrl('coding-intl')).toBe(`${fake.url}/plans/coding-intl/v1`);
    expect(fake.planBaseUrl('dashscope-us')).toBe(
      `${fake.url}/plans/dashscope-us/compatible-mode/v1`,
    );
    expect(() => fake.planBaseUrl('nowhere')).toThrow(RangeError);
  });

  it('serves a plan key on its own host and model list', async () => {
    const key = fake.issuePlanKey({ type: 'coding-plan' });
    const result = await post(
      `${fake.planBaseUrl('coding-intl')}/chat/completions`,
      key,
      chatBody('glm-4.7'),
    );
    expect(result.status).toBe(200);
    expect(result.body.model).toBe('glm-4.7');
    expect(fake.lastRequest('/plans/coding-intl/v1/chat/completions')?.bearer).toBe(key);
  });

  it('answers a general sk- key on Coding Plan with 401 invalid access token or token expired', async () => {
    const general = fake.issuePlanKey({ type: 'standard' });
    const result = await post(
      `${fake.planBaseUrl('coding-intl')}/chat/completions`,
      general,
      chatBody('glm-4.7'),
    );
    expect(result.status).toBe(401);
    expect(result.body.error).toMatchObject({
      code: 'invalid_api_key',
      message: 'invalid access token or token expired',
    });
    expect(fake.counters.unauthorizedSent).toBe(1);
    // a revoked (expired) plan key gets the same answer
    const planKey = fake.issuePlanKey({ type: 'coding-plan' });
    fake.revokePlanKey(planKey);
    const revoked = await post(
      `${fake.planBaseUrl('coding-intl')}/chat/completions`,
      planKey,
      chatBody('glm-4.7'),
    );
    expect(revoked.status).toBe(401);
  });

  it("rejects a model outside the plan with model 'x' is not supported", async () => {
    const key = fake.issuePlanKey({ type: 'coding-plan' });
    const result = await post(
      `${fake.planBaseUrl('coding-intl')}/chat/completions`,
      key,
      chatBody('qwen3.8-max'),
    );
    expect(result.status).toBe(400);
    expect(result.body.error.message).toBe("model 'qwen3.8-max' is not supported");
    const token = fake.issuePlanKey({ type: 'token-plan' });
    const tokenPlan = await post(
      `${fake.planBaseUrl('token-plan-intl')}/chat/completions`,
      token,
      chatBody('glm-4.7'),
    );
    expect(tokenPlan.body.error.message).toBe("model 'glm-4.7' is not supported");
    expect(
      (
        await post(
          `${fake.planBaseUrl('token-plan-intl')}/chat/completions`,
          token,
          chatBody('glm-5.2'),
        )
      ).status,
    ).toBe(200);
  });

  it('refuses a pay-as-you-go key in another region with Incorrect API key provided', async () => {
    const beijing = fake.issuePlanKey({ type: 'standard', region: 'cn' });
    const wrongRegion = await post(
      `${fake.planBaseUrl('dashscope-intl')}/chat/completions`,
      beijing,
      chatBody('qwen3.8-max'),
    );
    expect(wrongRegion.status).toBe(401);
    expect(wrongRegion.body.error).toMatchObject({
      code: 'invalid_api_key',
      message: 'Incorrect API key provided. ',
    });
    const rightRegion = await post(
      `${fake.planBaseUrl('dashscope-cn')}/chat/completions`,
      beijing,
      chatBody('qwen3.8-max'),
    );
    expect(rightRegion.status).toBe(200);
    // a Coding Plan key on the general-purpose host: the FAQ's 403 invalid api-key
    const planKey = fake.issuePlanKey({ type: 'coding-plan' });
    const onGeneralHost = await post(
      `${fake.planBaseUrl('dashscope-intl')}/chat/completions`,
      planKey,
      chatBody('qwen3.8-max'),
    );
    expect(onGeneralHost.status).toBe(403);
    expect(onGeneralHost.body.error.message).toBe('invalid api-key');
  });

  it('serves embeddings on standard hosts only, and unknown models there get 404 model_not_found', async () => {
    const key = fake.issuePlanKey({ type: 'standard' });
    const embeddings = await post(`${fake.planBaseUrl('dashscope-intl')}/embeddings`, key, {
      model: 'text-embedding-v4',
      input: 'a',
    });
    expect(embeddings.status).toBe(200);
    expect(embeddings.body.data).toHaveLength(1);
    const onCodingPlan = await post(
      `${fake.planBaseUrl('coding-intl')}/embeddings`,
      fake.issuePlanKey({ type: 'coding-plan' }),
      { model: 'text-embedding-v4', input: 'a' },
    );
    expect(onCodingPlan.status).toBe(404);
    const unknown = await post(
      `${fake.planBaseUrl('dashscope-intl')}/chat/completions`,
      key,
      chatBody('qwen9-ultra'),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('model_not_found');
  });

  it('takes per-plan model lists as an option', async () => {
    fake.configure({ planModels: { 'coding-plan': ['only-this'] } });
    const key = fake.issuePlanKey({ type: 'coding-plan' });
    expect(
      (
        await post(
          `${fake.planBaseUrl('coding-intl')}/chat/completions`,
          key,
          chatBody('only-this'),
        )
      ).status,
    ).toBe(200);
    expect(
      (await post(`${fake.planBaseUrl('coding-intl')}/chat/completions`, key, chatBody('glm-4.7')))
        .status,
    ).toBe(400);
  });
});

describe('egress proxy', () => {
  it('tunnels CONNECT to loopback and checks Proxy-Authorization', async () => {
    const fake = await startFakeQwen();
    const proxy = await startFakeEgressProxy({ credentials: 'user:secret' });
    try {
      const denied = await new Promise<number>((resolve, reject) => {
        const connectRequest = httpRequest({
          host: '127.0.0.1',
          port: proxy.port,
          method: 'CONNECT',
          path: `127.0.0.1:${fake.port}`,
        });
        connectRequest.on('connect', (answer, socket) => {
          socket.destroy();
          resolve(answer.statusCode ?? 0);
        });
        connectRequest.on('error', reject);
        connectRequest.end();
      });
      expect(denied).toBe(407);
      const status = await new Promise<number>((resolve, reject) => {
        const connectRequest = httpRequest({
          host: '127.0.0.1',
          port: proxy.port,
          method: 'CONNECT',
          path: `127.0.0.1:${fake.port}`,
          headers: {
            'proxy-authorization': `Basic ${Buffer.from('user:secret').toString('base64')}`,
          },
        });
        connectRequest.on('connect', (answer, socket) => {
          if (answer.statusCode !== 200) {
            socket.destroy();
            resolve(answer.statusCode ?? 0);
            return;
          }
          const inner = httpRequest(
            { createConnection: () => socket, path: '/nowhere', method: 'GET', host: '127.0.0.1' },
            (response) => {
              response.resume();
              response.on('end', () => {
                socket.destroy();
                resolve(response.statusCode ?? 0);
              });
            },
          );
          inner.on('error', reject);
          inner.end();
        });
        connectRequest.on('error', reject);
        connectRequest.end();
      });
      expect(status).toBe(404);
      expect(proxy.records.map((record) => record.credentials)).toEqual([undefined, 'user:secret']);
      expect(fake.lastRequest('/nowhere')).toBeDefined();
    } finally {
      await proxy.close();
      await fake.close();
    }
  });
});
