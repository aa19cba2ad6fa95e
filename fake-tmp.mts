import { startFakeLlmServer, fake } from "./tests/support/fake-llm-server.ts";
const s = await startFakeLlmServer({ defaultBehaviour: fake.latency(250), limits: { requestsPerMinute: 100000, inputTokensPerMinute: 1e8, outputTokensPerMinute: 1e8 } });
console.log(s.url);
setInterval(() => {}, 1000);
