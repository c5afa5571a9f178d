// A client built with the official TypeScript SDK (the version pinned in package.json), for tests that compare what
// it sees directly at an upstream with what it sees through a Switchboard virtual server.
//
// Usage: node sdk-client.mjs '<plan as JSON>'
//   url             the MCP endpoint, reached with StreamableHTTPClientTransport
//   headers         extra request headers for url (Authorization)
//   stdio           instead of url: a command line, reached with StdioClientTransport
//   protocolVersion the session revision to ask for in initialize (the SDK itself always asks for its latest)
//   call            {name, arguments}: one tools/call
//   calls           [{name, arguments}, ...]: more tools/calls, one after another, their answers in order
//   prompt          {name, arguments}: one prompts/get
//   read            a URI: one resources/read
//   awaitTool       after the lists: list the tools again at each notifications/tools/list_changed until the tool
//                   of this name is listed (reported as listChanged, the notifications heard, and toolsAfter); the
//                   SDK reconnects its GET stream on its own when the server closes it, with Last-Event-ID
//   progress        {name, arguments}: one tools/call with a progress token; its answer and the progress heard
//   cancel          {name, arguments}: one tools/call with a progress token, aborted (the SDK sends
//                   notifications/cancelled) at its first progress; reported as cancelled: the error, and the
//                   request's id
//   keepSession     true: no DELETE at the end, so that the test can look at the session on the server
//   subscribe       a URI: resources/subscribe, then wait for its notifications/resources/updated (the test changes
//                   the resource meanwhile); reported as updated, the notification's params
//   timeoutMs       the whole run's deadline (default 60000)
//
// Prints one JSON document on stdout: the initialize result, every page of the four lists as the server sent them
// (the SDK's own schemas drop members they do not know, so the items are taken from the wire, after the SDK
// accepted the answer), and the answers to the call, the prompt and the read. Exits 1 with a message on stderr
// when anything fails, 2 when the deadline passes. Asked to sample, it answers "4"; asked for input, it accepts with
// name "Ada"; asked for roots, it has none.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema,
    ResourceUpdatedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';

const plan = JSON.parse(process.argv[2] ?? '{}');
const deadline = setTimeout(() => {
    process.stderr.write(`sdk-client: no answer within ${plan.timeoutMs ?? 60000} ms\n`);
    process.exit(2);
}, plan.timeoutMs ?? 60000);

/** The answers as they came over the wire, by request id; and the method of each request sent. */
const answers = new Map();
const methods = new Map();

/**
 * Lets the SDK drive the transport, but asks for the plan's revision in initialize and keeps every answer as sent.
 * The SDK has no option for the revision it requests: it always sends LATEST_PROTOCOL_VERSION, and accepts any
 * revision of SUPPORTED_PROTOCOL_VERSIONS in the answer.
 */
function recording(transport, protocolVersion) {
    const send = transport.send.bind(transport);
    transport.send = (message, options) => {
        if (message.method !== undefined && message.id !== undefined) {
            methods.set(message.id, message.method);
        }
        if (message.method === 'initialize' && protocolVersion) {
            message = { ...message, params: { ...message.params, protocolVersion } };
        }
        return send(message, options);
    };
    let handler;
    Object.defineProperty(transport, 'onmessage', {
        configurable: true,
        get: () => handler,
        set: (next) => {
            handler = next === undefined ? undefined : (message, extra) => {
                if (message.id !== undefined && methods.has(message.id)
                        && ('result' in message || 'error' in message)) {
                    answers.set(message.id, message);
                }
                next(message, extra);
            };
        }
    });
    return transport;
}

/** The wire answer to the latest request of {@code method}. */
function lastAnswer(method) {
    let found;
    for (const [id, name] of methods) {
        if (name === method && answers.has(id)) {
            found = answers.get(id);
        }
    }
    if (found === undefined || found.error) {
        throw new Error(`${method}: ${JSON.stringify(found?.error ?? 'no answer')}`);
    }
    return found.result;
}

/** Every item of a paginated list, from the wire, following nextCursor (at most 100 pages). */
async function listAll(list, method, key) {
    const items = [];
    let cursor;
    for (let page = 0; page < 100; page++) {
        await list(cursor === undefined ? undefined : { cursor });
        const result = lastAnswer(method);
        items.push(...(result[key] ?? []));
        cursor = result.nextCursor;
        if (cursor === undefined) {
            return items;
        }
    }
    throw new Error(`${method}: more than 100 pages`);
}

async function main() {
    const transport = recording(plan.stdio
        ? new StdioClientTransport({ command: plan.stdio[0], args: plan.stdio.slice(1), stderr: 'ignore' })
        : new StreamableHTTPClientTransport(new URL(plan.url), { requestInit: { headers: plan.headers ?? {} } }),
        plan.protocolVersion);
    // What Switchboard declares to its upstreams: server-everything offers some tools only to such clients.
    const client = new Client({ name: 'switchboard-sdk-client', version: '1.0.0' },
        { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [] }));
    client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', model: 'sdk-client',
        content: { type: 'text', text: '4' } }));
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada' } }));
    let updated;
    const updates = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
        updates.push(notification.params);
        updated?.();
    });
    let listChanged = 0;
    let heard = () => {};
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        listChanged++;
        heard();
    });
    await client.connect(transport);
    const seen = { initialize: answers.get([...methods].find(([, m]) => m === 'initialize')[0]).result };
    const capabilities = client.getServerCapabilities() ?? {};
    if (capabilities.tools) {
        seen.tools = await listAll((p) => client.listTools(p), 'tools/list', 'tools');
    }
    if (capabilities.prompts) {
        seen.prompts = await listAll((p) => client.listPrompts(p), 'prompts/list', 'prompts');
    }
    if (capabilities.resources) {
        seen.resources = await listAll((p) => client.listResources(p), 'resources/list', 'resources');
        seen.resourceTemplates = await listAll((p) => client.listResourceTemplates(p), 'resources/templates/list',
            'resourceTemplates');
    }
    if (plan.awaitTool) {
        // Notifications heard while a list is under way are counted, and one more list follows them.
        let listed = 0;
        let tools = [];
        while (!tools.some((tool) => tool.name === plan.awaitTool)) {
            if (listed === listChanged) {
                await new Promise((resolve) => { heard = resolve; });
            }
            listed = listChanged;
            tools = await listAll((p) => client.listTools(p), 'tools/list', 'tools');
        }
        seen.listChanged = listChanged;
        seen.toolsAfter = tools;
    }
    if (plan.call) {
        await client.callTool({ name: plan.call.name, arguments: plan.call.arguments ?? {} });
        seen.call = lastAnswer('tools/call');
    }
    if (plan.calls) {
        seen.calls = [];
        for (const call of plan.calls) {
            await client.callTool({ name: call.name, arguments: call.arguments ?? {} });
            seen.calls.push(lastAnswer('tools/call'));
        }
    }
    if (plan.progress) {
        const progress = [];
        const result = await client.callTool({ name: plan.progress.name, arguments: plan.progress.arguments ?? {} },
            CallToolResultSchema, { onprogress: (p) => progress.push(p) });
        seen.progress = { result, notifications: progress };
    }
    if (plan.cancel) {
        const abort = new AbortController();
        seen.cancelled = await client.callTool({ name: plan.cancel.name, arguments: plan.cancel.arguments ?? {} },
            CallToolResultSchema, { signal: abort.signal, onprogress: () => abort.abort('the test cancels it') })
            .then((result) => ({ answered: result }), (error) => ({ error: String(error) }));
        seen.cancelled.requestId = [...methods].filter(([, m]) => m === 'tools/call').at(-1)[0];
    }
    if (plan.subscribe) {
        await client.subscribeResource({ uri: plan.subscribe });
        await new Promise((resolve) => {
            updated = () => {
                if (updates.some((u) => u.uri === plan.subscribe)) {
                    resolve();
                }
            };
            updated();
        });
        seen.updated = updates.find((u) => u.uri === plan.subscribe);
    }
    if (plan.prompt) {
        await client.getPrompt({ name: plan.prompt.name, arguments: plan.prompt.arguments ?? {} });
        seen.prompt = lastAnswer('prompts/get');
    }
    if (plan.read) {
        await client.readResource({ uri: plan.read });
        seen.read = lastAnswer('resources/read');
    }
    // The session's id, and whether its DELETE was accepted: a server that answers 405 keeps no sessions.
    seen.sessionId = transport.sessionId ?? null;
    if (transport.terminateSession && !plan.keepSession) {
        seen.terminated = await transport.terminateSession().then(() => true, () => false);
    }
    await client.close();
    process.stdout.write(JSON.stringify(seen) + '\n');
}

main().then(() => {
    clearTimeout(deadline);
    process.exit(0);
}, (error) => {
    process.stderr.write(`sdk-client: ${error?.stack ?? error}\n`);
    process.exit(1);
});
