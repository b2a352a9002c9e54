import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { adminPageGuard } from './admin-page-guard.js';
import type { AdminAuth } from './admin-session.js';

export const BULL_BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues (UI, its assets and its API), every request behind ADMIN_TOKEN or a
 * login session; its state-changing API calls (add, retry, clean…) only from our own origin (CSRF).
 */
export async function bullBoard(app: FastifyInstance, deps: { queue: Queue; admin: AdminAuth }): Promise<void> {
  // Answers the 401 itself: Bull Board installs its own error handler, which would turn a thrown 401 into a 500.
  app.addHook('onRequest', adminPageGuard(deps.admin));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(deps.queue)],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'tracefleet' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
