import { createDoctorCheck, type DoctorCheck } from './doctor-check';
import { probeUrl } from './probe-url';

/** Reaches each chat API base URL the accounts use (any HTTP answer counts). */
export async function checkApiEndpoints({
  endpoints,
  timeoutInMs,
  now,
}: {
  endpoints: readonly string[];
  timeoutInMs: number;
  now: () => number;
}): Promise<DoctorCheck[]> {
  const unique = [...new Set(endpoints)];
  const probes = await Promise.all(
    unique.map(async (endpoint) => ({
      endpoint,
      probe: await probeUrl({ url: `${endpoint.replace(/\/+$/, '')}/models`, timeoutInMs, now }),
    })),
  );
  return probes.map(({ endpoint, probe }) =>
    probe.reachable
      ? createDoctorCheck({
          id: 'api-reachable',
          status: 'ok',
          message: `API ${endpoint} answers (HTTP ${probe.status})`,
        })
      : createDoctorCheck({
          id: 'api-reachable',
          status: 'fail',
          message: `API ${endpoint} is not reachable: ${probe.reason}`,
          fix: 'check the network, or QWEN_API_BASE_URL if you set one',
        }),
  );
}
