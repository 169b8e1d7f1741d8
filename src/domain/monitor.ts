// The monitor model: what the validated config hands to the rest of Candor.
// Everything here is plain, frozen data; durations are milliseconds, times are epoch milliseconds.
import type { DeclaredSpec } from './declared.js';
import type { PolicySpec } from './policies.js';

import type { AlertingSettings, ChannelSpec, RouteSpec, SubscriptionSettings } from './alerting.js';

export type MonitorType = 'http' | 'tcp' | 'dns' | 'tls';

/** An inclusive status range, e.g. [200, 299]. A single code is [code, code]. */
export type StatusRange = readonly [number, number];

export interface JsonAssertion {
  /** Dotted path with optional [index], e.g. "data.items[0].status"; "" or "$" is the root. */
  readonly path: string;
  /** Deep-equals this value when present. */
  readonly equals?: unknown;
  /** true: the path must exist; false: it must not. */
  readonly exists?: boolean;
}

export interface HeaderAssertion {
  /** Header name, case-insensitive. */
  readonly name: string;
  readonly equals?: string;
  readonly contains?: string;
  /** Regular expression source. */
  readonly matches?: string;
  readonly exists?: boolean;
}

export interface HttpExpect {
  /** Accepted status codes; default [[200, 399]]. */
  readonly status: readonly StatusRange[];
  readonly maxLatencyMs?: number;
  readonly bodyContains?: readonly string[];
  /** Regular expression source, tested against the (capped) body text. */
  readonly bodyMatches?: string;
  readonly json?: readonly JsonAssertion[];
  readonly headers?: readonly HeaderAssertion[];
}

export interface HttpProbeSpec {
  readonly type: 'http';
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** 0 means redirects are not followed (a 3xx is the final answer). */
  readonly maxRedirects: number;
  readonly verifyTls: boolean;
  /** Bytes of body read at most; beyond it the result is `body_too_large` only if assertions need the body. */
  readonly maxBodyBytes: number;
  /** Response headers (lower-case) kept in the result evidence. */
  readonly keepHeaders: readonly string[];
  readonly expect: HttpExpect;
}

export interface TcpProbeSpec {
  readonly type: 'tcp';
  readonly host: string;
  readonly port: number;
  /** Sent right after connecting. */
  readonly send?: string;
  /** The banner (or reply to `send`) must contain this text. */
  readonly expectBanner?: string;
}

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'NS' | 'TXT';
export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsProbeSpec {
  readonly type: 'dns';
  readonly name: string;
  readonly recordType: DnsRecordType;
  /** undefined: the system resolver (first server of /etc/resolv.conf). */
  readonly resolver?: { readonly host: string; readonly port: number };
  readonly expect: {
    /** Every listed answer must be present (order-insensitive, case-insensitive). */
    readonly answers?: readonly string[];
    /** Default NOERROR with at least one answer. */
    readonly rcode?: DnsRcode;
  };
}

export interface TlsProbeSpec {
  readonly type: 'tls';
  readonly host: string;
  readonly port: number;
  /** SNI name; defaults to host when host is a name. */
  readonly servername?: string;
  readonly expect: {
    readonly minDaysValid?: number;
  };
}

export type ProbeSpec = HttpProbeSpec | TcpProbeSpec | DnsProbeSpec | TlsProbeSpec;

/** A maintenance window: a fixed interval, or a cron expression with a duration. */
export type MaintenanceWindow =
  | { readonly kind: 'fixed'; readonly startAt: number; readonly endAt: number; readonly title?: string }
  | {
      readonly kind: 'cron';
      readonly cron: string;
      readonly durationMs: number;
      /** IANA time zone the cron expression is read in; default UTC. */
      readonly timezone: string;
      readonly title?: string;
    };

export interface MonitorSpec {
  /** [a-z0-9-]+, unique. */
  readonly id: string;
  readonly name: string;
  readonly probe: ProbeSpec;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Consecutive failing checks that confirm an outage. */
  readonly failureThreshold: number;
  /** Consecutive passing checks that confirm recovery. */
  readonly successThreshold: number;
  /** Latency above this (while assertions pass) makes the monitor `degraded`. */
  readonly degradedAfterMs?: number;
  readonly tags: readonly string[];
  /** Status-page grouping; defaults to the monitor's name. */
  readonly component: string;
  readonly maintenance: readonly MaintenanceWindow[];
  /** A paused monitor is not checked. */
  readonly paused: boolean;
  /** What the public may see beyond the verdict; absent: nothing more (`public: { excerpt: true }` shows failure body excerpts). */
  readonly public?: { readonly excerpt: boolean };
  /**
   * Values never shown (src/domain/redaction.ts): text from `${ENV}` and credentials of sensitive headers
   * and query parameters anywhere in the config. Absent when the config has none.
   */
  readonly secrets?: readonly string[];
  /** Patterns of the vantages that check this monitor, matched against names and regions (domain/vantage-patterns.ts); absent: every vantage. */
  readonly vantages?: readonly string[];
  /** What the platform says about itself (its status page or incident feed); absent: nothing declared. */
  readonly declared?: DeclaredSpec;
  /** Its checks may only reach public addresses: a monitor made through the API without api.allowPrivateTargets. */
  readonly publicTargetsOnly?: true;
  /** Failing vantages that make it down for everyone (consensus.ts); absent: a majority of the healthy vantages that checked it. */
  readonly quorum?: number;
  /** Channel ids this monitor's notices go to (the short form of a route; see domain/alerting.ts). */
  readonly notify?: readonly string[];
}

/** This hub as a vantage: its name in results ("local" by default) and the region it says it is in. */
export interface VantageSpec {
  readonly name: string;
  readonly region?: string;
}

export interface RetentionPolicy {
  /** How long raw results are kept. Default 30d. */
  readonly rawMs: number;
  /** How long hourly and daily rollups are kept. Default 400d. */
  readonly rollupsMs: number;
}

/** `provenance:` in the config. */
export interface ProvenanceSettings {
  /** A monitor's provenance is observed at most this often (and when its peer address is new). Default 10m. */
  readonly intervalMs: number;
  /**
   * The DNS server snapshots ask, "IP" or "IP:PORT" ("[IPv6]:PORT"), on the hub and on every agent
   * (sent with the assignment). Absent: each vantage's own system resolver.
   */
  readonly resolver?: string;
}

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  /** The address people reach Candor at (behind a proxy), for absolute links in feeds and the v2 API. */
  readonly publicUrl?: string;
  /** Addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client (rate limits, audit). */
  readonly trustProxy?: readonly string[];
}

export interface StatusPageLink {
  readonly title: string;
  /** http(s) only. */
  readonly url: string;
}

export type Theme = 'auto' | 'light' | 'dark';

export interface StatusPageSpec {
  /** [a-z0-9-]+, unique; the page is served at /s/:slug. */
  readonly slug: string;
  readonly title: string;
  readonly description?: string;
  /** http(s) URL of a logo image. */
  readonly logo?: string;
  readonly links: readonly StatusPageLink[];
  readonly theme: Theme;
  /** IANA time zone times are shown in (and named). Default UTC. */
  readonly timezone: string;
  /** Component names shown, in this order; empty means every component, in config order. */
  readonly components: readonly string[];
  /** Also served at /. Exactly one page is the default (the first unless one is marked). */
  readonly isDefault: boolean;
  /** Visitors may subscribe (the config has `subscriptions:`): the page links to the form. */
  readonly subscribe?: true;
}

export interface CandorConfig {
  /** Absolute path of the file the config was read from. */
  readonly sourcePath: string;
  readonly title: string;
  readonly monitors: readonly MonitorSpec[];
  /** Never empty: without a statusPages block there is one default page showing every component. */
  readonly statusPages: readonly StatusPageSpec[];
  readonly retention: RetentionPolicy;
  readonly server: ServerSettings;
  /** Absent: the defaults (raw results public). */
  readonly api?: ApiSettings;
  /** The hub's own vantage. */
  readonly vantage: VantageSpec;
  /**
   * Reference targets checked from every vantage, only to judge whether a vantage itself is healthy:
   * never shown as monitors, never opening incidents. Their ids differ from every monitor's.
   */
  readonly controls?: readonly MonitorSpec[];
  /** Absent: the defaults (every 10 minutes). */
  readonly provenance?: ProvenanceSettings;
  /** Sovereignty policies (domain/policies.ts); absent: none. */
  readonly policies?: readonly PolicySpec[];
  /** Where notifications go, and which go where (absent: none are sent). */
  readonly channels?: readonly ChannelSpec[];
  readonly routes?: readonly RouteSpec[];
  /** Absent: DEFAULT_ALERTING. */
  readonly alerting?: AlertingSettings;
  /** Absent: visitors cannot subscribe. */
  readonly subscriptions?: SubscriptionSettings;
}

export interface ApiSettings {
  /** Raw results (`/api/v1/monitors/:id/results`) and result details are served to anyone. Default true. */
  readonly publicResults: boolean;
  /**
   * Monitors made through the API may reach loopback, private, link-local and cloud-metadata addresses.
   * Default false: they may only reach public addresses (checked after DNS resolution, at every check).
   */
  readonly allowPrivateTargets: boolean;
  /** Reads under /api/v1 (what the status pages show anyway) need no token. Default true. */
  readonly publicRead: boolean;
  /** Largest request body accepted (agents' batches have their own, larger limit). */
  readonly bodyLimitBytes: number;
  /** Origins allowed to read the API from a browser (CORS); empty: CORS off. `*` for any. */
  readonly corsOrigins: readonly string[];
  readonly rateLimit: {
    /** Requests per source address to routes answered without a token. */
    readonly public: RateLimit;
    /** Failed authentications per source address before any further attempt is refused. */
    readonly failedAuth: RateLimit;
  };
}

export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}
