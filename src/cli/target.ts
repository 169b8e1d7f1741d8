// `candor check TARGET`: turns a command-line target into a probe spec. Pure.
import { isIP } from 'node:net';
import type { DnsRecordType, MonitorType, ProbeSpec } from '../domain/monitor.js';
import { DEFAULT_KEEP_HEADERS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REDIRECTS, DEFAULT_STATUS, HTTP_METHODS } from '../config/http-schema.js';
import { DNS_RECORD_TYPES, DEFAULT_TLS_PORT } from '../config/probe-schema.js';

export class TargetError extends Error {}

export interface TargetOptions {
  readonly type?: string;
  readonly record?: string;
  readonly resolver?: string;
  readonly insecure?: boolean;
  readonly method?: string;
}

const TYPES: readonly MonitorType[] = ['http', 'tcp', 'dns', 'tls'];

/** `ftp://...`, `file:...`: a scheme no probe speaks (http and https are the http probe's; tls takes https://). */
function refuseOtherSchemes(target: string, type: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[1]?.toLowerCase();
  if (scheme === undefined) return;
  const accepted = type === 'http' ? ['http', 'https'] : type === 'tls' ? ['https'] : [];
  if (!accepted.includes(scheme)) {
    const hint = accepted.length > 0 ? `use ${accepted.map((name) => `${name}://`).join(' or ')}` : 'give the target without a scheme';
    throw new TargetError(`unsupported URL scheme "${scheme}:" for ${type === 'http' ? 'an' : 'a'} ${type} check (${hint})`);
  }
}

export function probeSpecFor(target: string, options: TargetOptions): ProbeSpec {
  const type = options.type ?? inferType(target);
  refuseOtherSchemes(target, type);
  if (!TYPES.includes(type as MonitorType)) throw new TargetError(`--type must be one of ${TYPES.join(', ')}, got "${type}"`);
  switch (type as MonitorType) {
    case 'http': {
      const url = /^https?:\/\//i.test(target) ? target : `https://${target}`;
      try {
        new URL(url);
      } catch {
        throw new TargetError(`"${target}" is not a valid URL`);
      }
      const method = (options.method ?? 'GET').toUpperCase();
      if (!(HTTP_METHODS as readonly string[]).includes(method)) {
        throw new TargetError(`--method must be one of ${HTTP_METHODS.join(', ')}, got "${options.method}"`);
      }
      return {
        type: 'http',
        url,
        method,
        headers: {},
        maxRedirects: DEFAULT_MAX_REDIRECTS,
        verifyTls: !options.insecure,
        maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
        keepHeaders: DEFAULT_KEEP_HEADERS,
        expect: { status: DEFAULT_STATUS },
      };
    }
    case 'tcp': {
      const { host, port } = hostPort(target, undefined);
      return { type: 'tcp', host, port };
    }
    case 'tls': {
      const { host, port } = hostPort(target.replace(/^https:\/\//i, '').replace(/\/.*$/, ''), DEFAULT_TLS_PORT);
      return { type: 'tls', host, port, expect: {} };
    }
    case 'dns': {
      const recordType = (options.record ?? 'A').toUpperCase() as DnsRecordType;
      if (!DNS_RECORD_TYPES.includes(recordType)) {
        throw new TargetError(`--record must be one of ${DNS_RECORD_TYPES.join(', ')}, got "${options.record}"`);
      }
      const resolver = options.resolver ? hostPort(options.resolver, 53) : undefined;
      if (resolver && isIP(resolver.host) === 0) {
        throw new TargetError(`--resolver must be an IP address (optionally with :port), got "${options.resolver}"`);
      }
      return { type: 'dns', name: target, recordType, ...(resolver ? { resolver } : {}), expect: {} };
    }
  }
}

function inferType(target: string): string {
  if (/^https?:\/\//i.test(target)) return 'http';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return 'http';
  if (/^[^:/\s]+:\d+$/.test(target) || /^\[[0-9a-f:.]+\]:\d+$/i.test(target)) return 'tcp';
  throw new TargetError(`cannot tell what kind of check "${target}" is: give a URL (https://...), HOST:PORT, or --type`);
}

function hostPort(text: string, defaultPort: number | undefined): { host: string; port: number } {
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(text);
  const plain = /^([^:\s]+)(?::(\d+))?$/.exec(text);
  const bareIpv6 = isIP(text) === 6 ? [text, text, undefined] : null;
  const match = bracketed ?? bareIpv6 ?? plain;
  if (!match) throw new TargetError(`expected HOST:PORT, got "${text}"`);
  const host = match[1]!;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (port === undefined) throw new TargetError(`a port is needed: "${text}" should look like ${host}:443`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TargetError(`port must be 1-65535, got "${match[2]}"`);
  return { host, port };
}
