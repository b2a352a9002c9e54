import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { adminPageGuard } from './admin-page-guard.js';

export const BULL_BOARD_PATH = '/admin/queues';

/** Bull Board at /admin/queues (UI, its assets and its API), every request behind ADMIN_TOKEN or the login cookie. */
export async function bullBoard(
  app: FastifyInstance,
  deps: { queue: Queue; adminToken: string | undefined },
): Promise<void> {
  // Answers the 401 itself: Bull Board installs its own error handler, which would turn a thrown 401 into a 500.
  app.addHook('onRequest', adminPageGuard(deps.adminToken));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: [new BullMQAdapter(deps.queue)],
    serverAdapter,
    options: { uiConfig: { boardTitle: 'tracefleet' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}
