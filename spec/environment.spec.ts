import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { defaultHost, defaultPort, isContainerEnvironment } from '../lib/environment.js';

describe('the bind address', () => {
  it('honours HOST first', () => {
    assert.equal(defaultHost({ HOST: '::1', DOCKER_CONTAINER: '1' }), '::1');
  });

  it('binds every interface in a container or on the runtime', () => {
    assert.equal(defaultHost({ DOCKER_CONTAINER: 'true' }), '0.0.0.0');
    assert.equal(defaultHost({ AWS_EXECUTION_ENV: 'AgentCore' }), '0.0.0.0');
    assert.equal(defaultHost({ AGENTCORE_RUNTIME_ARN: 'x' }), '0.0.0.0');
    assert.equal(isContainerEnvironment({ BEDROCK_AGENTCORE_RUNTIME_ID: 'x' }), true);
  });

  it('binds loopback on a developer machine (no /.dockerenv, no container variables)', () => {
    assert.equal(isContainerEnvironment({}), existsSync('/.dockerenv'));
    assert.equal(defaultHost({}), existsSync('/.dockerenv') ? '0.0.0.0' : '127.0.0.1');
  });
});

describe('the port', () => {
  it('is 8080 unless PORT says otherwise', () => {
    assert.equal(defaultPort({}), 8080);
    assert.equal(defaultPort({ PORT: '' }), 8080);
    assert.equal(defaultPort({ PORT: '9000' }), 9000);
  });

  it('rejects a PORT that is not a port number', () => {
    assert.throws(() => defaultPort({ PORT: 'eighty' }), /PORT must be an integer/);
    assert.throws(() => defaultPort({ PORT: '70000' }), RangeError);
  });
});
