// Runs the official `openai` npm package against a BooControl gateway, as a client would:
// a chat completion, a stream, an embedding and an error. Prints one line per check and exits
// non-zero on the first failure. Used by tst_openaiclient (ctest).
//   node client.mjs <gateway base URL ending in /v1> <directory holding node_modules/openai>
import { createRequire } from 'node:module';

const [baseURL, npmDir] = process.argv.slice(2);
const require = createRequire(`${npmDir}/`);
const OpenAI = require('openai');

const fail = (what, detail) => {
  console.error(`FAIL ${what}: ${detail}`);
  process.exit(1);
};

const client = new OpenAI({ baseURL, apiKey: 'test-token', maxRetries: 0, timeout: 20000,
                            defaultHeaders: { 'X-Boo-Source': 'openai-node' } });

const chat = await client.chat.completions.create({
  model: 'auto', max_tokens: 5, messages: [{ role: 'user', content: 'Say hello' }],
});
if (chat.object !== 'chat.completion' || !chat.choices?.[0]?.message?.content)
  fail('chat', JSON.stringify(chat));
console.log(`ok chat: ${chat.model}: ${chat.choices[0].message.content}`);

const stream = await client.chat.completions.create({
  model: 'auto', stream: true, max_tokens: 6, messages: [{ role: 'user', content: 'Count' }],
});
let chunks = 0;
let text = '';
let finish = null;
for await (const chunk of stream) {
  chunks += 1;
  text += chunk.choices?.[0]?.delta?.content ?? '';
  finish = chunk.choices?.[0]?.finish_reason ?? finish;
}
if (chunks < 3 || text.length === 0 || finish !== 'stop')
  fail('stream', `${chunks} chunks, text "${text}", finish ${finish}`);
console.log(`ok stream: ${chunks} chunks: ${text}`);

const embedding = await client.embeddings.create({ model: 'auto', input: 'hello' });
const vector = embedding.data?.[0]?.embedding;
if (!Array.isArray(vector) || vector.length === 0)
  fail('embedding', JSON.stringify(embedding));
console.log(`ok embedding: ${vector.length} dimensions`);

const models = await client.models.list();
const ids = models.data.map((m) => m.id);
if (!ids.includes('auto') || !ids.includes('auto:code'))
  fail('models', ids.join(', '));
console.log(`ok models: ${ids.length}`);

try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  fail('error', 'an unknown model was accepted');
} catch (error) {
  if (!(error instanceof OpenAI.NotFoundError) || error.code !== 'model_not_found')
    fail('error', `${error.constructor.name} ${error.status} ${error.code}`);
  console.log(`ok error: ${error.status} ${error.code}`);
}
