// IP address → network (ASN), organisation and registered country, offline. An injected dependency:
// the real database (from the @ip-location-db npm packages) in production, a small fixture in tests.
export interface IpInfo {
  /** Autonomous system number, e.g. 64500. */
  readonly asn: number;
  /** The AS organisation's name, e.g. "Example Net A". */
  readonly org: string;
  /** Registered country, ISO 3166-1 alpha-2 upper case ("US"); undefined when the database has none. */
  readonly country?: string;
}

export interface IpDbInfo {
  /** The database's date, YYYY-MM-DD. */
  readonly date: string;
  readonly ipv4Ranges: number;
  readonly ipv6Ranges: number;
  /** Where it was loaded from, and its licence attribution. */
  readonly source: string;
  readonly attribution: string;
}

export interface IpDb {
  /** undefined for addresses the database does not cover (and for anything not an IP address). */
  lookup(ip: string): IpInfo | undefined;
  info(): IpDbInfo;
}
