import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { ENV_NAMES, ENV_VARS, loadConfig } from '@tracefleet/config';
import { REPO_ROOT } from '../helpers/corpus.js';

/**
 * Infra cannot drift from code: every manifest parses, and every environment variable a manifest or
 * the compose file sets (directly, or through a ConfigMap/Secret it loads with envFrom) is one the
 * config module declares. The docs and README list every declared variable.
 */
const K8S = path.join(REPO_ROOT, 'infra/k8s');

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

type Doc = {
  kind?: string;
  metadata?: { name?: string };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: any;
};

function k8sDocs(): Array<{ file: string; doc: Doc }> {
  return yamlFiles(K8S).flatMap((file) => {
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    for (const d of docs) expect(d.errors, file).toEqual([]);
    return docs.map((d) => ({ file: path.relative(REPO_ROOT, file), doc: d.toJS() as Doc })).filter((d) => d.doc);
  });
}

describe('infra manifests match the config module', () => {
  const docs = k8sDocs();
  const byKind = (kind: string) => docs.filter((d) => d.doc.kind === kind);

  it('has the deployment pieces the issue asks for', () => {
    const kinds = new Set(docs.map((d) => d.doc.kind));
    for (const k of [
      'Deployment',
      'Service',
      'ConfigMap',
      'Secret',
      'HorizontalPodAutoscaler',
      'ScaledObject',
      'PodDisruptionBudget',
    ])
      expect(kinds, k).toContain(k);
    const names = byKind('Deployment').map((d) => d.doc.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['tracefleet-api', 'tracefleet-worker']));
  });

  it('sets only declared variables, directly or through envFrom', () => {
    const sources = new Map<string, string[]>();
    for (const d of [...byKind('ConfigMap'), ...byKind('Secret')])
      sources.set(`${d.doc.kind}/${d.doc.metadata?.name}`, Object.keys({ ...d.doc.data, ...d.doc.stringData }));
    let checked = 0;
    for (const { file, doc } of byKind('Deployment')) {
      for (const c of doc.spec.template.spec.containers) {
        for (const e of c.env ?? []) {
          expect(ENV_NAMES.has(e.name), `${file} ${c.name}: env ${e.name} is not in ENV_VARS`).toBe(true);
          checked++;
        }
        for (const from of c.envFrom ?? []) {
          const ref = from.configMapRef ? `ConfigMap/${from.configMapRef.name}` : `Secret/${from.secretRef.name}`;
          const keys = sources.get(ref);
          expect(keys, `${file} ${c.name}: ${ref} is not defined under infra/k8s`).toBeDefined();
          for (const k of keys!) {
            expect(ENV_NAMES.has(k), `${ref}: ${k} is not in ENV_VARS`).toBe(true);
            checked++;
          }
        }
        // Probes point at routes the processes serve.
        const paths = ['livenessProbe', 'readinessProbe', 'startupProbe'].map((p) => c[p]?.httpGet?.path);
        for (const p of paths) expect(['/health', '/ready', '/live'], `${file} ${c.name} probe`).toContain(p);
        expect(c.resources?.requests && c.resources?.limits, `${file} ${c.name} resources`).toBeTruthy();
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('compose sets only declared variables on the fleet services', () => {
    const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'infra/compose.yaml'), 'utf8'), { merge: true });
    for (const svc of ['api', 'worker']) {
      const env = compose.services[svc].environment as Record<string, string>;
      for (const k of Object.keys(env)) expect(ENV_NAMES.has(k), `compose ${svc}: ${k}`).toBe(true);
      expect(env.REDIS_URL).toBeTruthy();
    }
    for (const [name, svc] of Object.entries<any>(compose.services))
      expect(svc.healthcheck, `compose ${name} health check`).toBeTruthy();
    expect(compose.services.redis.command.join(' ')).toMatch(
      /--appendonly yes.*--appendfsync everysec.*--maxmemory-policy noeviction/,
    );
  });

  it('the Sentinel compose variant: a replica, three sentinels, and the fleet configured through them', () => {
    const read = (f: string) => parse(fs.readFileSync(path.join(REPO_ROOT, 'infra', f), 'utf8'), { merge: true });
    const base = read('compose.yaml');
    const variant = read('compose.sentinel.yaml');
    expect(variant.services['redis-replica'].command.join(' ')).toMatch(/--replicaof redis 6379/);
    const sentinels = Object.keys(variant.services).filter((n) => n.startsWith('sentinel-'));
    expect(sentinels).toHaveLength(3);
    for (const n of sentinels) {
      const script = variant.services[n].entrypoint.join(' ');
      expect(script).toMatch(/sentinel monitor tracefleet redis 6379 2/);
      expect(variant.services[n].healthcheck).toBeTruthy();
    }
    for (const svc of ['api', 'worker']) {
      // What compose runs: the base environment with the variant's merged over it.
      const env = { ...base.services[svc].environment, ...variant.services[svc].environment } as Record<string, string>;
      for (const k of Object.keys(env)) expect(ENV_NAMES.has(k), `compose ${svc}: ${k}`).toBe(true);
      // Only the Redis settings: others hold compose interpolations (`${API_KEYS:-}`).
      const config = loadConfig(Object.fromEntries(Object.entries(env).filter(([k]) => /REDIS_|QUEUE_PREFIX/.test(k))));
      expect(config.redis).toMatchObject({ mode: 'sentinel', name: 'tracefleet' });
      if (config.redis.mode === 'sentinel') expect(config.redis.sentinels.map((s) => s.host)).toEqual(sentinels);
    }
  });

  it('docs/configuration.md and the README document every variable', () => {
    const docsText = fs.readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const v of ENV_VARS) {
      expect(docsText, `docs/configuration.md lacks ${v.name}`).toContain(`\`${v.name}\``);
      expect(readme, `README lacks ${v.name}`).toContain(`\`${v.name}\``);
    }
  });
});
