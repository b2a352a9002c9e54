import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

/**
 * Security headers on every answer (@fastify/helmet): `X-Content-Type-Options: nosniff`, no framing
 * (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), and a CSP that fits the HTML pages we serve
 * (Swagger UI, Bull Board: own scripts only; their inline styles allowed). Routes that need a
 * tighter policy set their own (the dashboard, SVG answers). Cross-origin reads stay allowed
 * (`Cross-Origin-Resource-Policy` off): other sites embed the SVGs. HSTS is left to the TLS proxy.
 */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: false,
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  });
}
