import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BAD_REQUEST_TYPE } from '../../lib/a2a/errors.js';
import {
  LIST_PAGE_SIZE,
  readConfigListRequest,
  readConfigRef,
  readGetTaskRequest,
  readListTasksRequest,
  readPart,
  readPushConfig,
  readSendMessageRequest,
  readState,
  readTaskIdRequest,
} from '../../lib/a2a/params.js';
import { Role, TaskState } from '../../lib/a2a/wire-v1.js';
import { JsonRpcError } from '../../lib/json-rpc/errors.js';

/** The field a -32602 names. */
function violation(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof JsonRpcError && error.code === -32602, String(error));
    const [detail] = error.data as [{ '@type': string; fieldViolations: [{ field: string; description: string }] }];
    assert.equal(detail['@type'], BAD_REQUEST_TYPE);
    assert.match(error.message, new RegExp(`^Invalid params: ${detail.fieldViolations[0].field.replace(/[[\]().]/g, '\\$&')}: `));
    return detail.fieldViolations[0].field;
  }
  assert.fail('did not throw');
}

const message = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'hi' }], ...extra });

describe('reading SendMessage params', () => {
  it('keeps the known fields of a message and drops the rest', () => {
    const request = readSendMessageRequest({
      message: message({ contextId: 'c', taskId: 't', metadata: { a: 1 }, extensions: ['urn:x'], referenceTaskIds: ['t0'], unknown: 'dropped', contextID: 'x' }),
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: '3', returnImmediately: true, taskPushNotificationConfig: { url: 'https://h/', token: 't' } },
      metadata: { r: 1 },
      tenant: 'ignored',
    });
    assert.deepEqual(request, {
      message: { messageId: 'm1', role: Role.User, parts: [{ text: 'hi' }], contextId: 'c', taskId: 't', metadata: { a: 1 }, extensions: ['urn:x'], referenceTaskIds: ['t0'] },
      configuration: { acceptedOutputModes: ['text/plain'], historyLength: 3, returnImmediately: true, taskPushNotificationConfig: { url: 'https://h/', token: 't' } },
      metadata: { r: 1 },
    });
  });

  it('takes proto field names and enum numbers too, as ProtoJSON does', () => {
    const request = readSendMessageRequest({
      message: { message_id: 'm1', role: 2, parts: [{ text: 'hi', media_type: 'text/plain' }], context_id: 'c', task_id: 't', reference_task_ids: ['x'] },
      configuration: { accepted_output_modes: ['a/b'], history_length: 0, return_immediately: false, task_push_notification_config: { url: 'https://h/', task_id: 't' } },
    });
    assert.deepEqual(request.message, { messageId: 'm1', role: Role.Agent, parts: [{ text: 'hi', mediaType: 'text/plain' }], contextId: 'c', taskId: 't', referenceTaskIds: ['x'] });
    assert.deepEqual(request.configuration, { acceptedOutputModes: ['a/b'], historyLength: 0, returnImmediately: false, taskPushNotificationConfig: { url: 'https://h/', taskId: 't' } });
  });

  it('treats empty strings, empty lists and nulls as absent (ProtoJSON defaults)', () => {
    const request = readSendMessageRequest({ message: message({ contextId: '', taskId: null, extensions: [] }), configuration: null, metadata: null });
    assert.deepEqual(request, { message: { messageId: 'm1', role: Role.User, parts: [{ text: 'hi' }] } });
  });

  it('refuses a request without what A2A requires, naming the field', () => {
    assert.equal(violation(() => readSendMessageRequest(undefined)), 'params');
    assert.equal(violation(() => readSendMessageRequest([1])), 'params');
    assert.equal(violation(() => readSendMessageRequest({})), 'message');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ messageId: '' }) })), 'message.messageId');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ messageId: 5 }) })), 'message.messageId');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ role: 'user' }) })), 'message.role');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ role: 7 }) })), 'message.role');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ parts: [] }) })), 'message.parts');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ metadata: [1] }) })), 'message.metadata');
    assert.equal(violation(() => readSendMessageRequest({ message: message({ extensions: [1] }) })), 'message.extensions');
    assert.equal(violation(() => readSendMessageRequest({ message: message(), configuration: 'x' })), 'configuration');
    assert.equal(violation(() => readSendMessageRequest({ message: message(), configuration: { historyLength: -5 } })), 'configuration.historyLength');
    assert.equal(violation(() => readSendMessageRequest({ message: message(), configuration: { historyLength: 1.5 } })), 'configuration.historyLength');
    assert.equal(violation(() => readSendMessageRequest({ message: message(), configuration: { returnImmediately: 'yes' } })), 'configuration.returnImmediately');
    assert.equal(violation(() => readSendMessageRequest({ message: message(), configuration: { taskPushNotificationConfig: {} } })), 'configuration.taskPushNotificationConfig.url');
  });
});

describe('reading a part', () => {
  it('takes exactly one content, with its common fields', () => {
    assert.deepEqual(readPart({ raw: 'aGk=', filename: 'hi.txt', mediaType: 'text/plain', metadata: { a: 1 } }, 'p'), { raw: 'aGk=', filename: 'hi.txt', mediaType: 'text/plain', metadata: { a: 1 } });
    assert.deepEqual(readPart({ raw: 'a-_b' }, 'p'), { raw: 'a-_b' });
    assert.deepEqual(readPart({ url: 'https://x/' }, 'p'), { url: 'https://x/' });
    assert.deepEqual(readPart({ data: null }, 'p'), { data: null });
    assert.deepEqual(readPart({ text: '' }, 'p'), { text: '' });
  });

  it('refuses none, two, or a content of the wrong type', () => {
    assert.equal(violation(() => readPart({}, 'parts[0]')), 'parts[0]');
    assert.equal(violation(() => readPart({ content: { $case: 'text', value: 'x' } }, 'parts[0]')), 'parts[0]');
    assert.equal(violation(() => readPart({ text: 'a', data: 1 }, 'parts[0]')), 'parts[0]');
    assert.equal(violation(() => readPart('text', 'parts[0]')), 'parts[0]');
    assert.equal(violation(() => readPart({ text: 1 }, 'parts[0]')), 'parts[0].text');
    assert.equal(violation(() => readPart({ raw: 'not base64!' }, 'parts[0]')), 'parts[0].raw');
    assert.equal(violation(() => readPart({ url: 3 }, 'parts[0]')), 'parts[0].url');
    assert.equal(violation(() => readPart({ text: 'a', filename: 3 }, 'parts[0]')), 'parts[0].filename');
  });
});

describe('reading the task methods’ params', () => {
  it('GetTask: the id, and the history length from 0 up', () => {
    assert.deepEqual(readGetTaskRequest({ id: 't', historyLength: 2 }), { id: 't', historyLength: 2 });
    assert.deepEqual(readGetTaskRequest({ id: 't', history_length: '0' }), { id: 't', historyLength: 0 });
    assert.equal(violation(() => readGetTaskRequest({})), 'id');
    assert.equal(violation(() => readGetTaskRequest({ id: 't', historyLength: -1 })), 'historyLength');
    assert.equal(violation(() => readGetTaskRequest({ id: 't', historyLength: 2 ** 31 })), 'historyLength');
    assert.equal(violation(() => readGetTaskRequest({ id: 't', historyLength: 'two' })), 'historyLength');
    assert.deepEqual(readTaskIdRequest({ id: 't', metadata: {} }), { id: 't' });
  });

  it('ListTasks: page size 1 to 100 (50 by default), states by name or number, a timestamp', () => {
    assert.deepEqual(readListTasksRequest(undefined), { pageSize: LIST_PAGE_SIZE.default });
    assert.deepEqual(
      readListTasksRequest({ contextId: 'c', status: 'TASK_STATE_WORKING', pageSize: 100, pageToken: '7', historyLength: 0, includeArtifacts: true, statusTimestampAfter: '2030-01-01T00:00:00Z' }),
      { pageSize: 100, contextId: 'c', status: TaskState.Working, pageToken: '7', historyLength: 0, includeArtifacts: true, statusTimestampAfter: Date.UTC(2030, 0, 1) },
    );
    assert.equal(readListTasksRequest({ status: 6 }).status, TaskState.InputRequired);
    for (const noFilter of ['TASK_STATE_UNSPECIFIED', 0, null, 'UNRECOGNIZED']) assert.equal(readListTasksRequest({ status: noFilter }).status, undefined);
    assert.equal(violation(() => readListTasksRequest({ pageSize: 150 })), 'pageSize');
    assert.equal(violation(() => readListTasksRequest({ pageSize: 0 })), 'pageSize');
    assert.equal(violation(() => readListTasksRequest({ status: 'TASK_STATE_RUNNING' })), 'status');
    assert.equal(violation(() => readListTasksRequest({ status: 9 })), 'status');
    assert.equal(violation(() => readListTasksRequest({ statusTimestampAfter: 'yesterday' })), 'statusTimestampAfter');
    assert.equal(violation(() => readListTasksRequest({ includeArtifacts: 'yes' })), 'includeArtifacts');
    assert.equal(violation(() => readListTasksRequest([])), 'params');
    assert.equal(readState(TaskState.Rejected, 's'), TaskState.Rejected);
  });

  it('push configurations: a URL, an optional token and authentication with its scheme', () => {
    assert.deepEqual(readPushConfig({ url: 'https://h/', id: 'p', taskId: 't', token: 'x', authentication: { scheme: 'Bearer', credentials: 'c' } }, ''), {
      url: 'https://h/',
      id: 'p',
      taskId: 't',
      token: 'x',
      authentication: { scheme: 'Bearer', credentials: 'c' },
    });
    assert.deepEqual(readPushConfig({ url: 'https://h/', authentication: { scheme: 'Basic' } }, ''), { url: 'https://h/', authentication: { scheme: 'Basic' } });
    assert.equal(violation(() => readPushConfig('x', '')), 'params');
    assert.equal(violation(() => readPushConfig({ url: 'https://h/', authentication: 'Bearer' }, '')), 'authentication');
    assert.equal(violation(() => readPushConfig({ url: 'https://h/', authentication: {} }, '')), 'authentication.scheme');
    assert.deepEqual(readConfigRef({ taskId: 't', id: 'p' }), { taskId: 't', id: 'p' });
    assert.deepEqual(readConfigRef({ taskId: 't' }, true), { taskId: 't', id: undefined });
    assert.equal(violation(() => readConfigRef({ taskId: 't' })), 'id');
    assert.deepEqual(readConfigListRequest({ taskId: 't', pageSize: 5, pageToken: 'x' }), { taskId: 't' });
    assert.equal(violation(() => readConfigListRequest({})), 'taskId');
  });
});
