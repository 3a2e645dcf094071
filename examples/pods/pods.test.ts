/**
 * Example: a real HTTP service (server.js) run as three processes, pod-1 to pod-3, sharing their
 * users and login sessions through one PostgreSQL server (see jest.config.ts).
 *
 * The file runs once per role, and each role's node is its own OS process. `multinode.endpoint` is
 * this role's pod and `multinode.endpointOf(role)` any other: pod-pinned clients that reach a pod
 * directly (faults never touch them). `fault.crash` is a SIGKILL of the pod; `fault.restart` starts
 * a new process and resolves once /health/live answers again.
 */

/** Signs up a user on the pod at `url` and logs in there; resolves with the session token. */
async function signUpAndLogIn(url: string, email: string): Promise<string> {
  const credentials = JSON.stringify({ email, password: 'correct horse battery staple' });
  const headers = { 'content-type': 'application/json' };
  const signup = await fetch(`${url}/signup`, { method: 'POST', headers, body: credentials });
  expect(signup.status).toBe(201);
  const login = await fetch(`${url}/login`, { method: 'POST', headers, body: credentials });
  expect(login.status).toBe(201);
  return ((await login.json()) as { token: string }).token;
}

/** GET /me on the pod at `url` with a session token: the status and the body. */
async function whoAmI(url: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(`${url}/me`, { headers: { authorization: `Bearer ${token}` } });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

describe.multinode('three pods on one PostgreSQL', () => {
  it('each pod answers /health/live and /health/ready on its own', async () => {
    // Every role asks its own pod.
    for (const check of ['/health/live', '/health/ready']) {
      const answer = await fetch(`${multinode.endpoint.url}${check}`);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ pod: multinode.role, incarnation: 0 });
    }
  });

  it('recognises on pod-2 and pod-3 a login created on pod-1', async () => {
    const made = await runOn('pod-1', () => signUpAndLogIn(multinode.endpoint.url, 'ada@example.com'));
    // pod-1 hands its token to the other roles.
    const { 'pod-1': token } = await gather('ada logged in', made ?? '');

    expect(await whoAmI(multinode.endpoint.url, token!)).toEqual({
      status: 200,
      body: expect.objectContaining({ email: 'ada@example.com', createdOn: 'pod-1', pod: multinode.role }),
    });
    expect((await whoAmI(multinode.endpoint.url, 'made-up')).status).toBe(401);
  });

  it('serves again after pod-2 is killed and restarted', async () => {
    const made = await runOn('pod-1', () => signUpAndLogIn(multinode.endpoint.url, 'grace@example.com'));
    const { 'pod-1': token } = await gather('grace logged in', made ?? '');

    await runOn('pod-1', () => fault.crash('pod-2')); // SIGKILL: no goodbye, no graceful close
    await barrier('pod-2 killed');
    // pod-2's role keeps running its test code; only its node is dead.
    await runOn('pod-1', () => expect(fetch(`${multinode.endpointOf('pod-2').url}/health/live`)).rejects.toThrow());
    await runOn(['pod-1', 'pod-3'], async () => expect((await whoAmI(multinode.endpoint.url, token!)).status).toBe(200));
    await barrier('others served while pod-2 was down');

    await runOn('pod-1', () => fault.restart('pod-2')); // resolves once the new process is ready
    await barrier('pod-2 restarted');
    await runOn('pod-2', async () => {
      // Ready means live; the database may take a moment longer.
      const me = await eventually(async () => {
        const answer = await whoAmI(multinode.endpoint.url, token!);
        expect(answer.status).toBe(200);
        return answer.body;
      });
      expect(me).toMatchObject({ email: 'grace@example.com', pod: 'pod-2', incarnation: 1 });
    });
  });
});
