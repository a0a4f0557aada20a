import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpHttpError } from '../../lib/mcp/errors.js';
import { isAtLeast, isSupportedVersion, negotiateVersion, requestVersion, SUPPORTED_PROTOCOL_VERSIONS, VersionFeatures } from '../../lib/mcp/versions.js';

describe('protocol versions', () => {
  it('speaks 2025-11-25, 2025-06-18 and 2025-03-26, newest first', () => {
    assert.deepEqual([...SUPPORTED_PROTOCOL_VERSIONS], ['2025-11-25', '2025-06-18', '2025-03-26']);
    assert.equal(isSupportedVersion('2025-06-18'), true);
    assert.equal(isSupportedVersion('2024-11-05'), false);
    assert.equal(isSupportedVersion(20250618), false);
  });

  it("negotiates the client's version when it speaks it, else the newest", () => {
    assert.equal(negotiateVersion('2025-03-26'), '2025-03-26');
    assert.equal(negotiateVersion('2024-11-05'), '2025-11-25');
    assert.equal(negotiateVersion(undefined), '2025-11-25');
  });

  it('reads a request version from its header, else the negotiated one, else 2025-03-26', () => {
    assert.equal(requestVersion('2025-06-18', '2025-11-25'), '2025-06-18');
    assert.equal(requestVersion(undefined, '2025-11-25'), '2025-11-25');
    assert.equal(requestVersion('', undefined), '2025-03-26');
    assert.throws(
      () => requestVersion('2024-11-05', undefined),
      (error: unknown) => error instanceof McpHttpError && error.status === 400 && /Unsupported protocol version: 2024-11-05/.test(error.message),
    );
  });

  it('knows what differs: batches in 2025-03-26 only; elicitation from 2025-06-18; tasks and priming from 2025-11-25', () => {
    assert.deepEqual(SUPPORTED_PROTOCOL_VERSIONS.map(VersionFeatures.batches), [false, false, true]);
    assert.deepEqual(SUPPORTED_PROTOCOL_VERSIONS.map(VersionFeatures.elicitation), [true, true, false]);
    assert.deepEqual(SUPPORTED_PROTOCOL_VERSIONS.map(VersionFeatures.tasks), [true, false, false]);
    assert.deepEqual(SUPPORTED_PROTOCOL_VERSIONS.map(VersionFeatures.priming), [true, false, false]);
    assert.equal(isAtLeast('2025-11-25', '2025-06-18'), true);
  });
});
