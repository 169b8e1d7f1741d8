// The real IP database: the CSV files of two npm packages of ip-location-db, installed with Candor and
// read once at start into typed arrays (nothing is downloaded at run time):
//   @ip-location-db/asn                    IP → AS number and organisation (RouteViews, NRO, DB-IP; CC BY 4.0)
//   @ip-location-db/geo-whois-asn-country  IP → country the network is registered in (NRO whois data; CC0 / CC BY 4.0)
// `dir` points at newer files of the same format: either the files themselves, or a folder holding one
// folder per package (asn/, geo-whois-asn-country/), as node_modules/@ip-location-db or extracted packages do.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseAddressInto } from './ip-address.js';
import { AsOrganisations, IpDbError, countryText, readAsnCsv, readCountryCsv, type AsnRanges, type CountryRanges, type Family } from './ipdb-csv.js';
import type { IpDb, IpDbInfo, IpInfo } from './ipdb.js';
import { findIpv4Range, findRange } from './range-table.js';

export { IpDbError } from './ipdb-csv.js';

export const IPDB_ATTRIBUTION =
  'IP to AS data by RouteViews (https://www.routeviews.org), NRO (https://www.nro.net) and DB-IP (https://db-ip.com), ' +
  'via ip-location-db (https://github.com/sapics/ip-location-db), licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)';

interface Dataset {
  readonly packageName: string;
  /** Candidate file names per family, preferred first. */
  readonly files: Readonly<Record<Family, readonly string[]>>;
}

const ASN: Dataset = {
  packageName: 'asn',
  files: { 4: ['asn-ipv4-num.csv', 'asn-ipv4.csv'], 6: ['asn-ipv6.csv'] },
};
const COUNTRY: Dataset = {
  packageName: 'geo-whois-asn-country',
  files: { 4: ['geo-whois-asn-country-ipv4-num.csv', 'geo-whois-asn-country-ipv4.csv'], 6: ['geo-whois-asn-country-ipv6.csv'] },
};

export interface IpLocationDbOptions {
  /** A folder of newer files; default the installed packages. */
  readonly dir?: string;
}

function installedFolder(dataset: Dataset): string {
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`@ip-location-db/${dataset.packageName}/package.json`));
  } catch {
    throw new IpDbError('ipdb_missing', `the npm package @ip-location-db/${dataset.packageName} is not installed (run npm install)`);
  }
}

function folderOf(dataset: Dataset, dir: string | undefined): string {
  if (dir === undefined) return installedFolder(dataset);
  const nested = join(dir, dataset.packageName);
  return existsSync(nested) && statSync(nested).isDirectory() ? nested : dir;
}

function fileOf(dataset: Dataset, folder: string, family: Family): string {
  for (const name of dataset.files[family]) {
    const path = join(folder, name);
    if (existsSync(path)) return path;
  }
  throw new IpDbError('ipdb_missing', `${folder}: none of ${dataset.files[family].join(', ')} found`);
}

/** YYYY-MM-DD from the package version ("2.3.2026061719": built 2026-06-17 19h), else the file's date. */
export function datasetDate(folder: string, dataFile: string): string {
  const manifest = join(folder, 'package.json');
  if (existsSync(manifest)) {
    try {
      const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version;
      const match = typeof version === 'string' ? /^\d+\.\d+\.(\d{4})(\d{2})(\d{2})/.exec(version) : null;
      if (match) return `${match[1]}-${match[2]}-${match[3]}`;
    } catch {
      // A package.json that is not JSON says nothing about the date: fall back to the file's.
    }
  }
  return statSync(dataFile).mtime.toISOString().slice(0, 10);
}

/**
 * Reads the files one after another into one buffer, reused: the largest file's size is all the memory
 * reading takes, instead of the sum of the four (about 50 MB) waiting for the garbage collector.
 */
class FileReader {
  private buffer = Buffer.alloc(0);

  read(path: string): Buffer {
    let fd: number | undefined;
    try {
      fd = openSync(path, 'r');
      const size = fstatSync(fd).size;
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const read = readSync(fd, this.buffer, filled, size - filled, filled);
        if (read === 0) break;
        filled += read;
      }
      return this.buffer.subarray(0, filled);
    } catch (error) {
      throw new IpDbError('ipdb_missing', `${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

interface Loaded {
  readonly asn: Record<Family, AsnRanges>;
  readonly country: Record<Family, CountryRanges>;
  readonly organisations: AsOrganisations;
  readonly info: IpDbInfo;
}

function load(options: IpLocationDbOptions): Loaded {
  const asnFolder = folderOf(ASN, options.dir);
  const countryFolder = folderOf(COUNTRY, options.dir);
  const paths = {
    asn4: fileOf(ASN, asnFolder, 4),
    asn6: fileOf(ASN, asnFolder, 6),
    country4: fileOf(COUNTRY, countryFolder, 4),
    country6: fileOf(COUNTRY, countryFolder, 6),
  };
  const organisations = new AsOrganisations();
  const files = new FileReader();
  const asn = {
    4: readAsnCsv(files.read(paths.asn4), 4, paths.asn4, organisations),
    6: readAsnCsv(files.read(paths.asn6), 6, paths.asn6, organisations),
  };
  const country = {
    4: readCountryCsv(files.read(paths.country4), 4, paths.country4),
    6: readCountryCsv(files.read(paths.country6), 6, paths.country6),
  };
  // The older of the two datasets is how old the answers may be.
  const dates = [datasetDate(asnFolder, paths.asn4), datasetDate(countryFolder, paths.country4)].sort();
  const info: IpDbInfo = {
    date: dates[0]!,
    ipv4Ranges: asn[4].table.count,
    ipv6Ranges: asn[6].table.count,
    source: asnFolder === countryFolder ? asnFolder : `${asnFolder}, ${countryFolder}`,
    attribution: IPDB_ATTRIBUTION,
  };
  return { asn, country, organisations, info };
}

/** Loads the database (synchronously: about half a second, once at start). Throws IpDbError when files are missing or malformed. */
export function loadIpLocationDb(options: IpLocationDbOptions = {}): IpDb {
  const { asn, country, organisations, info } = load(options);
  const answer = (family: Family, asnIndex: number, countryIndex: number): IpInfo => {
    const system = asn[family].systems[asnIndex]!;
    const asnNumber = organisations.asnAt(system);
    const org = organisations.nameAt(system);
    if (countryIndex < 0) return { asn: asnNumber, org };
    return { asn: asnNumber, org, country: countryText(country[family].countries[countryIndex]!) };
  };
  const words = new Uint32Array(4);
  return {
    lookup(ip: string): IpInfo | undefined {
      if (typeof ip !== 'string') return undefined;
      const family = parseAddressInto(ip, words);
      if (family === 4) {
        const index = findIpv4Range(asn[4].table, words[0]!);
        return index < 0 ? undefined : answer(4, index, findIpv4Range(country[4].table, words[0]!));
      }
      if (family === 0) return undefined;
      const index = findRange(asn[6].table, words);
      return index < 0 ? undefined : answer(6, index, findRange(country[6].table, words));
    },
    info: () => info,
  };
}
