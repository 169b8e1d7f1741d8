// `candor ipdb info` and `candor ipdb lookup IP`: what the offline IP database holds and answers.
import { isIP } from 'node:net';
import { IpDbError, loadIpLocationDb } from '../provenance/ip-location-db.js';
import type { IpDb, IpInfo } from '../provenance/ipdb.js';
import { writeOut } from './check.js';
import { EXIT } from './exit.js';

export interface IpDbOptions {
  /** A folder of newer files of the same format. */
  readonly ipdb?: string;
  readonly json?: boolean;
}

export interface CommandIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

/** Opens the database, or says why not: a bad --ipdb folder is a usage error, a missing install a failure. */
export function openIpDb(command: string, dir: string | undefined, err: NodeJS.WritableStream): IpDb | number {
  try {
    return loadIpLocationDb(dir === undefined ? {} : { dir });
  } catch (error) {
    if (!(error instanceof IpDbError)) throw error;
    err.write(`candor ${command}: ${dir === undefined ? '' : '--ipdb: '}${error.message}\n`);
    return dir === undefined ? EXIT.checkFailed : EXIT.usage;
  }
}

async function print(command: string, io: CommandIo, text: string): Promise<void> {
  const failed = await writeOut(io.out, text);
  if (failed && failed.code !== 'EPIPE') io.err.write(`candor ${command}: could not print: ${failed.code ?? failed.message}\n`);
}

const count = (value: number): string => value.toLocaleString('en');

export async function ipdbInfoCommand(options: IpDbOptions, io: CommandIo): Promise<number> {
  const db = openIpDb('ipdb info', options.ipdb, io.err);
  if (typeof db === 'number') return db;
  const info = db.info();
  const text = options.json
    ? `${JSON.stringify(info, null, 2)}\n`
    : [
        `date         ${info.date}`,
        `IPv4 ranges  ${count(info.ipv4Ranges)}`,
        `IPv6 ranges  ${count(info.ipv6Ranges)}`,
        `source       ${info.source}`,
        `attribution  ${info.attribution}`,
        '',
      ].join('\n');
  await print('ipdb info', io, text);
  return EXIT.ok;
}

export function formatIpInfo(address: string, info: IpInfo): string {
  return [
    `address  ${address}`,
    `asn      AS${info.asn}`,
    `org      ${info.org}`,
    `country  ${info.country === undefined ? '(unknown)' : `${info.country} (where the network is registered)`}`,
    '',
  ].join('\n');
}

export async function ipdbLookupCommand(address: string, options: IpDbOptions, io: CommandIo): Promise<number> {
  if (isIP(address) === 0) {
    io.err.write(`candor ipdb lookup: ${JSON.stringify(address)} is not an IP address (like 192.0.2.1 or 2001:db8::1)\n`);
    return EXIT.usage;
  }
  const db = openIpDb('ipdb lookup', options.ipdb, io.err);
  if (typeof db === 'number') return db;
  const info = db.lookup(address);
  if (!info) {
    if (options.json) await print('ipdb lookup', io, `${JSON.stringify({ address, found: false })}\n`);
    else io.err.write(`candor ipdb lookup: ${address} is not in the database (private, reserved or unannounced addresses are not)\n`);
    return EXIT.checkFailed;
  }
  await print('ipdb lookup', io, options.json ? `${JSON.stringify({ address, found: true, ...info }, null, 2)}\n` : formatIpInfo(address, info));
  return EXIT.ok;
}
