import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { PRESET_NAMES, PRESETS } from '@tracefleet/contract';

const PresetsSchema = Type.Object({
  presets: Type.Array(
    Type.Object({
      name: Type.String({ examples: ['cutter'] }),
      description: Type.String(),
      /** The options the preset sets, in canonical form; explicit query options override them. */
      options: Type.Record(Type.String(), Type.Union([Type.String(), Type.Integer()])),
      /** Output options the preset implies (e.g. `format: dxf`); an explicit query option overrides them. */
      output: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
});

/** `GET /v1/presets`: the names `preset=` accepts and the options each one stands for. */
export async function presetRoutes(app: FastifyInstance): Promise<void> {
  const body = { presets: PRESET_NAMES.map((name) => ({ name, ...PRESETS[name] })) };
  app.get(
    '/v1/presets',
    {
      schema: {
        summary: 'Option presets',
        tags: ['conversions'],
        response: { 200: PresetsSchema },
      },
    },
    async () => body,
  );
}
