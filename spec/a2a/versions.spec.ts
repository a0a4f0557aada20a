import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { A2AError, ERROR_INFO_TYPE } from '../../lib/a2a/errors.js';
import { methodOf, requestedVersion, taskToV03, messageToV03, wireOf, WIRE_V03, WIRE_V1 } from '../../lib/a2a/versions.js';
import { Role, TaskState, type Task } from '../../lib/a2a/wire-v1.js';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';

function code(run: () => unknown): number {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof JsonRpcError, String(error));
    return error.code;
  }
  assert.fail('did not throw');
}

const TASK: Task = {
  id: 't1',
  contextId: 'c1',
  status: {
    state: TaskState.InputRequired,
    timestamp: '2030-01-01T00:00:00.000Z',
    message: { messageId: 'a1', role: Role.Agent, parts: [{ text: 'which?' }], taskId: 't1', contextId: 'c1' },
  },
  artifacts: [
    {
      artifactId: 'x',
      name: 'result',
      description: 'the result',
      metadata: { m: 1 },
      extensions: ['urn:e'],
      parts: [
        { text: 'hello', mediaType: 'text/plain' },
        { raw: 'aGk=', filename: 'hi.txt', mediaType: 'text/plain' },
        { url: 'https://example.com/a.pdf' },
        { data: { k: 1 }, metadata: { p: true } },
        { data: [1, 2] },
        { data: null, metadata: { q: 1 } },
      ],
    },
  ],
  history: [{ messageId: 'u1', role: Role.User, parts: [{ text: 'do it' }], metadata: { h: 1 }, extensions: ['urn:e'], referenceTaskIds: ['t0'] }],
};

describe('choosing the version', () => {
  it('reads A2A-Version as major.minor, ignoring a patch; absent or empty is 0.3', () => {
    assert.equal(requestedVersion('1.0'), '1.0');
    assert.equal(requestedVersion(' 1.0.1 '), '1.0');
    assert.equal(requestedVersion('1'), '1.0');
    assert.equal(requestedVersion('0.3'), '0.3');
    assert.equal(requestedVersion('0.3.0'), '0.3');
    assert.equal(requestedVersion(undefined), '0.3');
    assert.equal(requestedVersion(''), '0.3');
    assert.equal(requestedVersion('  '), '0.3');
  });

  it('answers -32009 for any version not served, or not a version', () => {
    for (const header of ['2.0', '1.1', '0.2', '9.9', 'abc', '1.0-beta', 'v1']) {
      assert.equal(code(() => requestedVersion(header)), -32009, header);
    }
    const error = (() => {
      try {
        requestedVersion('9.9');
      } catch (caught) {
        return caught as JsonRpcError;
      }
      return undefined;
    })();
    assert.deepEqual(error?.data, [{ '@type': ERROR_INFO_TYPE, reason: 'VERSION_NOT_SUPPORTED', domain: 'a2a-protocol.org', metadata: { version: '9.9' } }]);
  });

  it('takes each version’s own method names, -32009 for the other version’s, -32601 for neither’s', () => {
    assert.equal(methodOf('SendMessage', '1.0'), 'SendMessage');
    assert.equal(methodOf('message/send', '0.3'), 'SendMessage');
    assert.equal(methodOf('tasks/resubscribe', '0.3'), 'SubscribeToTask');
    assert.equal(methodOf('agent/getAuthenticatedExtendedCard', '0.3'), 'GetExtendedAgentCard');
    assert.equal(code(() => methodOf('message/send', '1.0')), -32009);
    assert.equal(code(() => methodOf('SendMessage', '0.3')), -32009);
    assert.equal(code(() => methodOf('ListTasks', '0.3')), -32009);
    assert.equal(code(() => methodOf('tasks/list', '0.3')), -32601);
    assert.equal(code(() => methodOf('toString', '0.3')), -32601);
    assert.equal(code(() => methodOf('Nope', '1.0')), -32601);
    assert.match((() => {
      try {
        methodOf('x'.repeat(500), '1.0');
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })(), /^Method not found: x{100}…$/);
  });

  it('gives each version its wire', () => {
    assert.equal(wireOf('1.0'), WIRE_V1);
    assert.equal(wireOf('0.3'), WIRE_V03);
  });
});

describe('the 1.0 wire', () => {
  it('writes the model as it is', () => {
    const event = { statusUpdate: { taskId: 't', contextId: 'c', status: { state: TaskState.Working } } };
    assert.equal(WIRE_V1.event(event, false), event);
    assert.equal(WIRE_V1.result('GetTask', TASK), TASK);
    const params = { id: 't' };
    assert.equal(WIRE_V1.params('GetTask', params), params);
  });

  it('gives every error typed details: A2A errors keep theirs, others get an ErrorInfo with their data as strings', () => {
    const notFound = A2AError.taskNotFound('t9');
    assert.equal(WIRE_V1.error(notFound), notFound);
    const parse = WIRE_V1.error(JsonRpcError.parseError({ message: 'Unexpected end', position: 3, line: 1, column: 4, nothing: undefined }));
    assert.deepEqual(parse.data, [{ '@type': ERROR_INFO_TYPE, reason: 'JSON_PARSE', domain: 'a2a-protocol.org', metadata: { message: 'Unexpected end', position: '3', line: '1', column: '4' } }]);
    assert.deepEqual(WIRE_V1.error(JsonRpcError.methodNotFound('X')).data, [{ '@type': ERROR_INFO_TYPE, reason: 'METHOD_NOT_FOUND', domain: 'a2a-protocol.org' }]);
    assert.deepEqual(WIRE_V1.error(new JsonRpcError(-1, 'odd')).data, [{ '@type': ERROR_INFO_TYPE, reason: 'UNKNOWN', domain: 'a2a-protocol.org' }]);
  });
});

describe('the 0.3 wire', () => {
  it('writes a task with kinds, lowercase states and roles, and 0.3 parts', () => {
    assert.deepEqual(taskToV03(TASK), {
      kind: 'task',
      id: 't1',
      contextId: 'c1',
      status: {
        state: 'input-required',
        message: { kind: 'message', messageId: 'a1', role: 'agent', parts: [{ kind: 'text', text: 'which?' }], contextId: 'c1', taskId: 't1' },
        timestamp: '2030-01-01T00:00:00.000Z',
      },
      artifacts: [
        {
          artifactId: 'x',
          name: 'result',
          description: 'the result',
          metadata: { m: 1 },
          extensions: ['urn:e'],
          parts: [
            { kind: 'text', text: 'hello' },
            { kind: 'file', file: { bytes: 'aGk=', name: 'hi.txt', mimeType: 'text/plain' } },
            { kind: 'file', file: { uri: 'https://example.com/a.pdf' } },
            { kind: 'data', data: { k: 1 }, metadata: { p: true } },
            { kind: 'data', data: { value: [1, 2] }, metadata: { data_part_compat: true } },
            { kind: 'data', data: { value: null }, metadata: { q: 1, data_part_compat: true } },
          ],
        },
      ],
      history: [{ kind: 'message', messageId: 'u1', role: 'user', parts: [{ kind: 'text', text: 'do it' }], metadata: { h: 1 }, extensions: ['urn:e'], referenceTaskIds: ['t0'] }],
    });
    const states = Object.values(TaskState).map((state) => taskToV03({ id: 't', contextId: 'c', status: { state } }).status.state);
    assert.deepEqual(states, ['submitted', 'working', 'completed', 'failed', 'canceled', 'input-required', 'rejected', 'auth-required']);
  });

  it('writes results bare: a task or a message with its kind, configs nested, lists as arrays', () => {
    assert.equal((WIRE_V03.result('SendMessage', { task: TASK }) as { kind: string }).kind, 'task');
    assert.deepEqual(WIRE_V03.result('SendMessage', { message: { messageId: 'a', role: Role.Agent, parts: [{ text: 'hi' }], contextId: 'c' } }), messageToV03({ messageId: 'a', role: Role.Agent, parts: [{ text: 'hi' }], contextId: 'c' }));
    assert.equal((WIRE_V03.result('CancelTask', TASK) as { kind: string }).kind, 'task');
    const config = { id: 'p1', taskId: 't1', url: 'https://hooks.example.com/a2a', token: 'tok', authentication: { scheme: 'Bearer', credentials: 'secret' } };
    const nested = { taskId: 't1', pushNotificationConfig: { url: 'https://hooks.example.com/a2a', id: 'p1', token: 'tok', authentication: { schemes: ['Bearer'], credentials: 'secret' } } };
    assert.deepEqual(WIRE_V03.result('CreateTaskPushNotificationConfig', config), nested);
    assert.deepEqual(WIRE_V03.result('ListTaskPushNotificationConfigs', { configs: [config, { taskId: 't1', url: 'https://h/', authentication: { scheme: 'Basic' } }], nextPageToken: '' }), [
      nested,
      { taskId: 't1', pushNotificationConfig: { url: 'https://h/', authentication: { schemes: ['Basic'] } } },
    ]);
    assert.equal(WIRE_V03.result('DeleteTaskPushNotificationConfig', null), null);
  });

  it('writes stream events with kinds, and final on the one that closes the stream', () => {
    assert.deepEqual(WIRE_V03.event({ statusUpdate: { taskId: 't', contextId: 'c', status: { state: TaskState.Completed }, metadata: { m: 1 } } }, true), {
      kind: 'status-update',
      taskId: 't',
      contextId: 'c',
      status: { state: 'completed' },
      final: true,
      metadata: { m: 1 },
    });
    assert.deepEqual(WIRE_V03.event({ artifactUpdate: { taskId: 't', contextId: 'c', artifact: { artifactId: 'a', parts: [{ text: 'x' }] }, append: true, lastChunk: false, metadata: { n: 2 } } }, false), {
      kind: 'artifact-update',
      taskId: 't',
      contextId: 'c',
      artifact: { artifactId: 'a', parts: [{ kind: 'text', text: 'x' }] },
      append: true,
      lastChunk: false,
      metadata: { n: 2 },
    });
    assert.equal((WIRE_V03.event({ task: TASK }, false) as { kind: string }).kind, 'task');
    assert.equal((WIRE_V03.event({ message: { messageId: 'a', role: Role.Agent, parts: [{ text: 'x' }] } }, true) as { kind: string }).kind, 'message');
  });

  it('reads a 0.3 message into the 1.0 shape: roles, text, file bytes and URIs, data (unwrapping non-objects)', () => {
    const params = WIRE_V03.params('SendMessage', {
      message: {
        kind: 'message',
        messageId: 'm1',
        role: 'user',
        parts: [
          { kind: 'text', text: 'hi', metadata: { a: 1 } },
          { kind: 'file', file: { bytes: 'aGk=', name: 'hi.txt', mimeType: 'text/plain' } },
          { kind: 'file', file: { uri: 'https://example.com/a.pdf' } },
          { kind: 'data', data: { k: 1 } },
          { kind: 'data', data: { value: [1] }, metadata: { data_part_compat: true } },
          { kind: 'data', data: { value: 2 }, metadata: { data_part_compat: true, keep: 'me' } },
        ],
      },
      configuration: { blocking: false, historyLength: 2, acceptedOutputModes: ['text/plain'], pushNotificationConfig: { url: 'https://h/', id: 'p', token: 't', authentication: { schemes: ['Bearer'], credentials: 'c' } } },
      metadata: { r: 1 },
    });
    assert.deepEqual(params, {
      message: {
        kind: 'message',
        messageId: 'm1',
        role: Role.User,
        parts: [
          { metadata: { a: 1 }, text: 'hi' },
          { raw: 'aGk=', filename: 'hi.txt', mediaType: 'text/plain' },
          { url: 'https://example.com/a.pdf' },
          { data: { k: 1 } },
          { data: [1] },
          { data: 2, metadata: { keep: 'me' } },
        ],
      },
      configuration: {
        acceptedOutputModes: ['text/plain'],
        historyLength: 2,
        returnImmediately: true,
        taskPushNotificationConfig: { url: 'https://h/', id: 'p', token: 't', authentication: { scheme: 'Bearer', credentials: 'c' } },
      },
      metadata: { r: 1 },
    });
    const waits = WIRE_V03.params('SendMessage', { message: { messageId: 'm', role: 'agent', parts: [] }, configuration: {} }) as { message: { role: string }; configuration: object };
    assert.equal(waits.message.role, Role.Agent);
    assert.deepEqual(waits.configuration, { acceptedOutputModes: undefined, historyLength: undefined });
  });

  it('reads the other 0.3 params into their 1.0 fields', () => {
    assert.deepEqual(WIRE_V03.params('GetTask', { id: 't', historyLength: 1 }), { id: 't', historyLength: 1 });
    assert.deepEqual(WIRE_V03.params('CreateTaskPushNotificationConfig', { taskId: 't', pushNotificationConfig: { url: 'https://h/' } }), {
      url: 'https://h/',
      id: undefined,
      token: undefined,
      taskId: 't',
    });
    assert.deepEqual(WIRE_V03.params('CreateTaskPushNotificationConfig', { taskId: 't' }), { taskId: 't' });
    assert.deepEqual(WIRE_V03.params('GetTaskPushNotificationConfig', { id: 't', pushNotificationConfigId: 'p' }), { taskId: 't', id: 'p' });
    assert.deepEqual(WIRE_V03.params('DeleteTaskPushNotificationConfig', { id: 't', pushNotificationConfigId: 'p' }), { taskId: 't', id: 'p' });
    assert.deepEqual(WIRE_V03.params('ListTaskPushNotificationConfigs', { id: 't' }), { taskId: 't' });
    assert.equal(WIRE_V03.params('GetTask', 'not an object'), 'not an object');
    assert.deepEqual(WIRE_V03.params('SendMessage', { message: 'not an object', configuration: 3 }), { message: 'not an object', configuration: 3, metadata: undefined });
  });

  it('refuses what 0.3 does not allow, naming the field', () => {
    const send = (message: unknown, configuration?: unknown): number => code(() => WIRE_V03.params('SendMessage', { message, configuration }));
    const base = { kind: 'message', messageId: 'm', role: 'user' };
    assert.equal(send({ ...base, kind: 'task', parts: [] }), -32602);
    assert.equal(send({ ...base, role: 'ROLE_USER', parts: [] }), -32602);
    assert.equal(send({ ...base, parts: [{ kind: 'image', text: 'x' }] }), -32602);
    assert.equal(send({ ...base, parts: [{ kind: 'file', file: 'x' }] }), -32602);
    assert.equal(send({ ...base, parts: [{ kind: 'file', file: { bytes: 'a', uri: 'b' } }] }), -32602);
    assert.equal(send({ ...base, parts: [{ kind: 'file', file: {} }] }), -32602);
    assert.equal(send({ ...base, parts: [{ kind: 'data', data: [1] }] }), -32602);
    assert.equal(send({ ...base, parts: [] }, { blocking: 'yes' }), -32602);
    const noParts = WIRE_V03.params('SendMessage', { message: { ...base, parts: 'x' } }) as { message: { parts: unknown } };
    assert.equal(noParts.message.parts, 'x');
    const oddPart = WIRE_V03.params('SendMessage', { message: { ...base, parts: [null] } }) as { message: { parts: unknown[] } };
    assert.deepEqual(oddPart.message.parts, [null]);
  });

  it('leaves 1.0’s typed error details out, and says -32007 the 0.3 way', () => {
    const notFound = WIRE_V03.error(A2AError.taskNotFound('t'));
    assert.equal(notFound.code, -32001);
    assert.equal(notFound.data, undefined);
    assert.equal(notFound.message, A2AError.taskNotFound('t').message);
    const parse = JsonRpcError.parseError({ position: 1 });
    assert.equal(WIRE_V03.error(parse), parse);
    assert.equal(WIRE_V03.error(A2AError.extendedAgentCardNotConfigured()).message, 'Authenticated Extended Card is not configured');
  });
});
