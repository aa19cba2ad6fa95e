/**
 * The `simulated` provider (ARCHITECTURE.md, "Providers"): a deterministic composer that builds a
 * conversation from the slot's persona, emotional arc, topic, intent, tone, chunk, scenario and
 * edge case, with no model and no network. It is not a language model and says so
 * (`isLanguageModel: false`); it exists so the whole pipeline runs on a fresh machine.
 *
 * The same conversation id and slot always give the same conversation (the random choices are
 * seeded by a hash of the conversation id). Varied phrase banks keep conversations from reading
 * alike. Replies follow the conversation contract: `{"turns":[{"role","content"},…]}`.
 */
import { fnv1a32, seededRandom, shuffled } from "../seeded-random";
import { AppError } from "../errors";
import type { GenerationContext, Turn } from "../types";
import type { GenerationRequest, GenerationResponse, LlmProvider, ProviderModel } from "./types";

/** Model name the simulated provider reports by default. */
export const SIMULATED_MODEL = "simulated-composer-1";

/**
 * Creates the simulated provider.
 *
 * `generate(request)` composes 10-14 alternating turns (user first, assistant last; assistant turns
 * 60-200 words, user turns 10-80 words) from `request.context` and returns them as the contract
 * JSON text, with `stopReason: "end_turn"`, `truncated: false`, token counts estimated as
 * characters / 4 rounded up (`inputTokens` from system + prompt, `outputTokens` from the reply),
 * `model: request.model`, `requestId: null`, `headers: {}`. Takes well under 5 ms.
 *
 * Throws the signal's reason (an `AbortError` / `TimeoutError` DOMException unless the caller gave
 * another) when `request.signal` is aborted, and AppError `invalid_request` when the request has
 * no `context` to compose from.
 */
export function createSimulatedProvider(): LlmProvider {
  return {
    name: "simulated",
    isLanguageModel: false,
    defaultModel: SIMULATED_MODEL,
    /** Its one "model", the composer itself: no network. */
    async listModels(): Promise<ProviderModel[]> {
      return [{ id: SIMULATED_MODEL, displayName: "Simulated composer (not a language model)", createdAt: null }];
    },
    async generate(request: GenerationRequest): Promise<GenerationResponse> {
      request.signal?.throwIfAborted();
      if (!request.context) {
        throw new AppError("invalid_request", "The simulated provider builds each conversation from its persona, topic and source chunk, but this request carried none. This is a bug in the caller; please report it.", {
          detail: { model: request.model },
        });
      }
      const turns = composeSimulatedConversation(request.context);
      const text = JSON.stringify({ turns });
      // Let a cancel that arrived while composing win, like a real HTTP call would.
      await Promise.resolve();
      request.signal?.throwIfAborted();
      return {
        text,
        stopReason: "end_turn",
        truncated: false,
        inputTokens: estimateTokens(request.system + request.prompt),
        outputTokens: estimateTokens(text),
        model: request.model,
        requestId: null,
        rawRequest: { model: request.model, system: request.system, prompt: request.prompt, max_tokens: request.maxTokens },
        rawResponse: { simulated: true, text },
        headers: {},
      };
    },
  };
}

/** Rough token estimate used by the simulated provider: characters / 4, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Composes the conversation the simulated provider returns, without the JSON wrapping.
 *
 * @param context the resolved slot; its `conversationId` seeds every random choice
 * @returns 10-14 turns, user first, assistant last, strictly alternating. Throws nothing.
 */
export function composeSimulatedConversation(context: GenerationContext): Turn[] {
  const facts = gatherFacts(context);
  const exchanges = 5 + Math.floor(facts.random() * 3);
  const middle = middleKinds(context, exchanges - 3);
  const kinds: ExchangeKind[] = ["opening", ...middle, "turning", "closing"];

  const turns: Turn[] = [];
  for (const kind of kinds) {
    turns.push({ role: "user", content: fitTurn(userTurn(kind, facts), facts, "user") });
    turns.push({ role: "assistant", content: fitTurn(assistantTurn(kind, facts), facts, "assistant") });
  }
  return turns;
}

// ---------------------------------------------------------------------------------------------
// Facts: everything the phrase banks need, resolved once.

type ExchangeKind = "opening" | "term" | "example" | "worry" | "solution" | "outcome" | "push" | "push_follow" | "turning" | "closing";
type ToneFamily = "warm" | "direct" | "professional" | "neutral";
type EdgeFamily = "guarantee" | "grief" | "overwhelm" | "conflict" | "picks" | "urgent" | "out_of_scope" | "skeptic" | "general";

interface Facts {
  random: () => number;
  context: GenerationContext;
  business: string;
  advisor: string;
  topic: string;
  start: string;
  end: string;
  tone: ToneFamily;
  formal: boolean;
  brief: boolean;
  traits: string[];
  personaIntro: string;
  intentLine: string;
  intentReply: string;
  /** Terms the client asks about, in the order asked. */
  terms: string[];
  /** Chunk sentences still available to quote (each quoted at most once). */
  quotes: string[];
  documentTitle: string | null;
  summary: string;
  edge: EdgeFamily;
  /** Filler sentences not used yet, shuffled. */
  fillers: string[];
  usedTerms: number;
  /** Phrasings already used, per phrase bank, so two exchanges of one kind never read the same. */
  usedPhrasings: Map<string, Set<number>>;
}

interface Part {
  text: string;
  /** Optional parts are dropped, last first, when a turn is too long. */
  optional?: boolean;
}

const USER_WORDS = { min: 12, max: 75 } as const;
const ASSISTANT_WORDS = { min: 70, max: 190 } as const;

function gatherFacts(context: GenerationContext): Facts {
  const random = seededRandom(fnv1a32(context.conversationId));
  const { persona, topic, chunk, tone, intent } = context;
  const traits = stringList(persona.attributes.traits).slice(0, 3);
  const style = typeof persona.attributes.communication_style === "string" ? persona.attributes.communication_style.toLowerCase() : "";
  const topicPhrase = naturalCase(topic.name);
  const business = context.businessName.trim() || "our team";
  const financial = /financ|wealth|invest|retire|money|pension|tax|budget|saving|planning/i.test(`${business} ${topic.name} ${topic.description}`);

  const termPool = unique([...shuffled(random, stringList(topic.keyTerms)), ...shuffled(random, chunk ? stringList(chunk.keyTerms) : [])]).map(naturalCase);
  const quotes = chunk ? shuffled(random, quotableSentences(chunk.content)).slice(0, 3) : [];
  const summary = chunk?.summary.trim() ? clipWords(chunk.summary.trim(), 45) : clipWords(topic.description.trim(), 45);

  const facts: Facts = {
    random,
    context,
    business,
    advisor: financial ? "planner" : "specialist",
    topic: topicPhrase,
    start: naturalCase(context.emotionalArc.startingEmotion),
    end: naturalCase(context.emotionalArc.endingEmotion),
    tone: toneFamily(`${tone.name} ${tone.description}`),
    formal: /\bformal\b/.test(style) && !/\binformal\b/.test(style),
    brief: /\b(brief|short|concise|terse|succinct|few words)\b/.test(style),
    traits: traits.map(lowerFirst),
    personaIntro: "",
    intentLine: "",
    intentReply: "",
    // Without key terms the client asks about universal aspects instead.
    terms: termPool.length > 0 ? termPool : shuffled(random, ["the main risk", "the timeline", "the overall cost"]),
    quotes,
    documentTitle: chunk?.documentTitle ?? null,
    summary,
    edge: edgeFamily(context),
    fillers: [],
    usedTerms: 0,
    usedPhrasings: new Map(),
  };
  facts.personaIntro = personaIntro(facts);
  [facts.intentLine, facts.intentReply] = intentLines(random, `${intent.name} ${intent.description}`);
  facts.fillers = shuffled(random, fillerBank(facts));
  return facts;
}

function middleKinds(context: GenerationContext, count: number): ExchangeKind[] {
  const plans: Record<GenerationContext["tier"], ExchangeKind[]> = {
    template: ["term", "example", "term", "worry"],
    scenario: context.scenario ? ["solution", "outcome", "term", "example"] : ["term", "example", "term", "worry"],
    edge_case: ["term", "push", "push_follow", "example"],
  };
  return plans[context.tier].slice(0, count);
}

/**
 * Picks a phrasing from `items` that this conversation has not used yet for `bank` (seeded, so
 * still deterministic); once all are used, any of them.
 */
function pickFresh(facts: Facts, bank: string, items: string[]): string {
  const used = facts.usedPhrasings.get(bank) ?? new Set<number>();
  facts.usedPhrasings.set(bank, used);
  const fresh = items.map((_, index) => index).filter((index) => !used.has(index));
  const index = choose(facts.random, fresh.length > 0 ? fresh : items.map((_, at) => at));
  used.add(index);
  return items[index];
}

function nextTerm(facts: Facts): string {
  const term = facts.terms[facts.usedTerms % facts.terms.length];
  facts.usedTerms += 1;
  return term;
}

// ---------------------------------------------------------------------------------------------
// User turns: first person, the persona's voice, moving from the arc's start emotion to its end.

function userTurn(kind: ExchangeKind, facts: Facts): Part[] {
  const { random, topic, start, end, business } = facts;
  const pick = <T>(items: T[]): T => choose(random, items);
  const scenario = facts.context.scenario;
  switch (kind) {
    case "opening": {
      const greeting = facts.formal ? pick(["Good afternoon.", "Hello, and thank you for taking the time.", "Good morning."]) : pick(["Hi there.", "Hey, thanks for making time for this.", "Hi!", "Hello."]);
      const feeling = pick([
        `Honestly, I'm feeling ${start} about ${topic} right now.`,
        `If I'm being honest, ${topic} has me feeling ${start}.`,
        `I'll admit the whole ${topic} thing leaves me feeling ${start}.`,
        `Every time I sit down to look at ${topic}, I end up feeling ${start}.`,
      ]);
      const parts: Part[] = [{ text: greeting, optional: true }, { text: facts.personaIntro }, { text: feeling }];
      if (scenario) parts.push({ text: `Here's where things stand for me: ${clipWords(scenario.problem, 32)}` });
      parts.push({ text: facts.intentLine });
      if (facts.traits.length > 0) parts.push({ text: `A few words that describe me: ${joinList(facts.traits)}.`, optional: true });
      return parts;
    }
    case "term": {
      const term = nextTerm(facts);
      return [
        { text: pickFresh(facts, "term-ack", ["Okay, that helps a little.", "That's useful, thank you.", "Right, I think I follow so far.", "Got it."]), optional: true },
        {
          text: pickFresh(facts, "term-question", [
            `Can you walk me through ${term}? I keep hearing about it and I'm not sure I really get it.`,
            `What does ${term} actually mean for someone in my position?`,
            `I'm still feeling ${start} about this part. How does ${term} fit into my situation?`,
            `Where does ${term} come into it for me? I don't want to nod along without understanding it.`,
          ]),
        },
      ];
    }
    case "example":
      return [
        {
          text: pick([
            `Could you give me a concrete example of how that works with ${topic}? I understand things better when I can picture them.`,
            `I think I need an example. What would this look like for someone like me in real life?`,
            `Can you make that more concrete for me? I learn best from real situations, not definitions.`,
          ]),
        },
      ];
    case "worry":
      return [
        {
          text: pick([
            `What's the biggest mistake people make with ${topic}? I really don't want to be the one who gets it wrong.`,
            `My real fear is messing this up. Where do people usually go wrong with ${topic}?`,
            `Is there anything I'm likely to overlook? I tend to miss the obvious things when I'm feeling ${start}.`,
          ]),
        },
      ];
    case "solution":
      return [
        { text: pick(["That's helpful context.", "Okay, that makes sense.", "Thank you, that's clearer."]), optional: true },
        {
          text: pick([
            `So with everything I told you about my situation, what would you actually do if you were in my shoes?`,
            `Given my situation, what would your approach be? I'd like to hear it plainly.`,
            `What would you suggest I do first, given where I am right now?`,
          ]),
        },
      ];
    case "outcome":
      return [
        {
          text: pick([
            `And if I go that way, what does it look like a year or two from now? I want to know what I'm working toward.`,
            `Suppose I follow that plan. What should I realistically expect at the end of it?`,
            `What does a good result look like here? I need something to hold on to when I start doubting myself.`,
          ]),
        },
      ];
    case "push":
      return [{ text: edgePush(facts) }];
    case "push_follow":
      if (facts.edge === "grief" || facts.edge === "overwhelm") {
        return [
          {
            text: pick([
              `Thank you. I think I needed someone to tell me I don't have to fix everything at once. What would taking it slowly actually look like for me?`,
              `That helps more than I expected. If I'm not deciding anything big yet, what can I do in the meantime so I don't feel stuck?`,
            ]),
          },
        ];
      }
      return [
        {
          text: pick([
            `Okay. I suppose I was hoping for a simpler answer. So what can I actually count on from you?`,
            `I hear you, even if it's not what I wanted to hear. Then what would you have me do instead?`,
            `Fine, I understand why you're being careful. What's the responsible way for me to move forward?`,
          ]),
        },
      ];
    case "turning":
      return [
        {
          text: pick([
            `That actually takes some of the pressure off. What would a realistic first step look like for me this month?`,
            `I'm starting to see how the pieces fit together. If I only did one thing in the next few weeks, what should it be?`,
            `Okay, this feels a lot more manageable than it did. What should I do first, practically speaking?`,
          ]),
        },
      ];
    case "closing":
      return [
        {
          text: pick([
            `I have to say, I'm feeling ${end} now, which is not how I walked in.`,
            `Honestly, I feel ${end} about ${topic} for the first time in a while.`,
            `This conversation has me feeling ${end} instead of ${start}, which I didn't expect.`,
          ]),
        },
        { text: pick([`What's the best next step with ${business}?`, `How do I take this further with ${business}?`, `What should I do next to keep this moving?`]) },
        { text: pick(["Thank you for being so patient with me.", "Thanks for explaining it without making me feel silly.", "I really appreciate your time."]), optional: true },
      ];
  }
}

function edgePush(facts: Facts): string {
  const { random, topic } = facts;
  const pick = (items: string[]): string => choose(random, items);
  switch (facts.edge) {
    case "guarantee":
      return pick([
        `I need you to be straight with me: can you guarantee this will work out? I'm not doing anything with ${topic} unless you can promise I won't lose money.`,
        `Just promise me the returns will be there. If you can't guarantee it, I don't see why I should take the risk at all.`,
      ]);
    case "grief":
      return pick([
        `I'm sorry, this is hard for me. Since the loss, everything about ${topic} feels like too much, and I can't tell if I'm thinking clearly about any of it.`,
        `Honestly, since we lost them I've been barely holding it together. I keep staring at ${topic} and I don't know if I'm in any state to make decisions.`,
      ]);
    case "overwhelm":
      return pick([
        `I'm sorry, I think I'm just overwhelmed. Everything about ${topic} feels like too much at once, and I can't tell if I'm thinking clearly about any of it.`,
        `Honestly, I'm barely holding it together right now. I keep staring at ${topic} and I don't know if I'm in any state to make decisions.`,
      ]);
    case "conflict":
      return pick([
        `My partner and I want completely different things here, and every conversation about ${topic} turns into an argument. Can you just tell me which of us is right?`,
        `Here's the real problem: what I want and what my family wants pull in opposite directions. I need you to settle it for us.`,
      ]);
    case "picks":
      return pick([
        `Can we skip the theory? Just tell me exactly which investment to buy and I'll do it today.`,
        `I don't need the background. I'd just like a specific pick from you, the one thing I should put my money into.`,
      ]);
    case "urgent":
      return pick([
        `I want to move everything today. I can't stand waiting while ${topic} keeps eating at me, so I'm ready to act right now.`,
        `I've decided I need to make a big change immediately. I don't want to wait weeks for a plan.`,
      ]);
    case "out_of_scope":
      return pick([
        `While I have you, I'd like a firm answer on the legal side of this too. Can I just rely on what you tell me and skip the lawyer?`,
        `Can you also tell me exactly what to put on my tax return? I'd rather not pay someone else for that part.`,
      ]);
    case "skeptic":
      return pick([
        `I'll be blunt: how do I know you're not just trying to sell me something? I've been burned before and I don't trust easily.`,
        `Honestly, I'm skeptical of all this. Everyone I've talked to about ${topic} had something to sell me.`,
      ]);
    case "general":
      return pick([
        `Can you just give me a straight yes or no and take this decision off my plate? I know that's asking a lot, but it's what I need right now.`,
        `I want you to decide this for me. I'm tired of thinking about it, and I trust you more than I trust myself right now.`,
      ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Assistant turns: the business's voice, grounded in the chunk, paced by the arc.

function assistantTurn(kind: ExchangeKind, facts: Facts): Part[] {
  const { random, topic, start, end, business, advisor } = facts;
  const pick = (items: string[]): string => choose(random, items);
  const scenario = facts.context.scenario;
  switch (kind) {
    case "opening": {
      const parts: Part[] = [{ text: opener(facts) }, { text: facts.intentReply }];
      if (facts.summary) parts.push({ text: `${pick(["The short summary from our own notes:", "In a sentence, our notes boil it down to this:", "Here's how we summarise it for clients:"])} ${ensurePeriod(facts.summary)}` });
      const quote = takeQuote(facts);
      if (quote) parts.push({ text: quote, optional: true });
      parts.push({ text: pick(["Let's start with whichever part is worrying you most.", "Let's take it one piece at a time, starting wherever feels most pressing to you.", "Tell me which part you'd like to untangle first, and we'll go from there."]) });
      return parts;
    }
    case "term": {
      const term = facts.terms[(facts.usedTerms - 1 + facts.terms.length) % facts.terms.length];
      const sentence = quoteAbout(facts, term);
      return [
        { text: pickFresh(facts, "term-ack-reply", ["Good question, and a lot of people are unsure about it.", "I'm glad you asked rather than nodding along.", "That's exactly the right thing to ask about."]) },
        { text: pickFresh(facts, "term-frame", [`Getting ${term} right matters here because it shapes most of the other decisions around ${topic}.`, `Think of ${term} as one of the building blocks of ${topic}: once it's clear, the rest is much easier to follow.`]) },
        ...(sentence ? [{ text: sentence }] : []),
        { text: pickFresh(facts, "term-practical", [`In practical terms, it means looking at your own situation first and letting ${term} follow from your goals, not the other way round.`, `For you, the useful question is how ${term} lines up with what you actually want, and we can work that out together.`]) },
        { text: nextFiller(facts), optional: true },
        { text: nextFiller(facts), optional: true },
      ];
    }
    case "example": {
      const quote = takeQuote(facts);
      return [
        { text: pick(["Of course, an example makes this much easier.", "Let's make it concrete.", "Here's a way to picture it."]) },
        { text: pick([`Imagine someone a lot like you who comes to ${business} feeling ${start} about ${topic}.`, `Picture a client in a very similar spot to yours, looking at ${topic} for the first time.`]) },
        { text: pick(["Rather than changing everything at once, they write down what they want in the next year and in the next ten, and only then look at the options.", "The first thing we do together is list what they have, what they want, and what keeps them up at night, and then we match each option to one of those."]) },
        ...(quote ? [{ text: quote }] : []),
        { text: pick(["Within a few weeks, the choices feel far less abstract, because each one is tied to something they care about.", "What changes is not the facts, it's that they can see how each decision connects to their own goals."]) },
        { text: nextFiller(facts), optional: true },
      ];
    }
    case "worry":
      return [
        { text: pick(["That's a healthy question to ask.", "It's good that you're thinking about this now rather than later."]) },
        { text: `The most common mistake with ${topic} is trying to fix everything at once, usually right after reading something alarming, and then abandoning the plan when it feels uncomfortable.` },
        { text: "The second is making decisions without writing down why, which makes it very hard to stay the course later." },
        ...(takeQuoteAsParts(facts)),
        { text: pick(["You're already avoiding both by slowing down and asking questions first.", "The fact that you're asking suggests you'll avoid most of them."]) },
        { text: nextFiller(facts), optional: true },
      ];
    case "solution":
      return [
        { text: pick(["Thank you for laying it out so clearly.", "I appreciate you sharing the details; they matter here."]) },
        { text: `In a situation like yours, here's how we'd approach it: ${clipWords(scenario?.solution ?? "", 70)}` },
        ...(takeQuoteAsParts(facts)),
        { text: pick([`None of this needs to happen overnight; we'd sequence it so each step is comfortable before the next one.`, `We'd take it in stages, checking in after each one so you never feel rushed.`]) },
        { text: nextFiller(facts), optional: true },
      ];
    case "outcome":
      return [
        { text: pick(["That's a fair thing to want to know.", "It helps to picture the destination, so let's do that."]) },
        { text: `If things go the way they usually do for people in your position, ${lowerFirst(clipWords(scenario?.outcome ?? "", 60))}` },
        { text: "I won't promise exact numbers or dates, because every situation moves a little differently, but that is a realistic picture of where this leads." },
        { text: nextFiller(facts), optional: true },
        { text: nextFiller(facts), optional: true },
      ];
    case "push":
      return edgeResponse(facts);
    case "push_follow":
      return [
        { text: pick(["What you can count on is honesty and a process.", "Here's what I can promise: a clear process and straight answers."]) },
        { text: `We'd start by mapping out your situation around ${topic}, agree on what matters most to you, and only then look at options, with the trade-offs of each spelled out in plain language.` },
        ...(takeQuoteAsParts(facts)),
        { text: `The next step is a session with one of our ${advisor}s at ${business}, where we can look at your full picture properly and you can ask anything you like.` },
        { text: nextFiller(facts), optional: true },
      ];
    case "turning": {
      const term = facts.terms[facts.usedTerms % facts.terms.length];
      return [
        { text: pick(["I'm really glad it feels more manageable.", "That's a big shift, and it's worth noticing.", "Good, that's exactly the point of taking it slowly."]) },
        { text: pick(["For this month, I'd keep it to three small steps.", "Here's a realistic start, in three steps."]) },
        { text: `First, write down what you want from ${topic} in your own words, including what would make you feel ${end}.` },
        { text: `Second, gather the documents and numbers that relate to ${term}, so we're working from facts rather than guesses.` },
        { text: `Third, pick one date to review it all with us at ${business}, and treat everything else as something that can wait until then.` },
        { text: nextFiller(facts), optional: true },
      ];
    }
    case "closing":
      return [
        { text: pick([`That's wonderful to hear, and you did the hard part by asking the questions.`, `I'm so glad. Feeling ${end} is a much better place to make decisions from.`, `That means a lot, and it's well earned; you engaged with every piece of this.`]) },
        { text: `To recap: we talked through ${joinList(facts.terms.slice(0, Math.max(1, Math.min(3, facts.usedTerms, facts.terms.length))))}, and how ${facts.usedTerms > 1 && facts.terms.length > 1 ? "each connects" : "it connects"} to what you want from ${topic}.` },
        { text: pick([`The best next step is a meeting with one of our ${advisor}s at ${business}, where we turn today's conversation into a written plan that fits you.`, `I'd suggest booking time with a ${advisor} on our team at ${business}; with your whole picture in front of us, we can make the advice specific to you.`]) },
        { text: pick(["Bring your notes and any questions that come up in the meantime.", "Jot down anything that comes to mind before then; no question is too small."]) },
        { text: nextFiller(facts), optional: true },
      ];
  }
}

function opener(facts: Facts): string {
  const { random, topic, start, business } = facts;
  const banks: Record<ToneFamily, string[]> = {
    warm: [
      `Thank you for telling me that. Feeling ${start} about ${topic} is far more common than you might think, and it's a completely sensible place to start from.`,
      `I really appreciate you being so open with me. It makes complete sense to feel ${start} when it comes to ${topic}, and you're not alone in that.`,
      `I'm glad you reached out. Lots of people feel ${start} about ${topic}, and the fact that you're asking questions already puts you in a good spot.`,
    ],
    direct: [
      `Let's get straight to it. Feeling ${start} about ${topic} usually means the picture isn't clear yet, so let's make it clear.`,
      `Fair enough, and thanks for being upfront. When ${topic} leaves someone feeling ${start}, it's usually because nobody has laid out the basics plainly. Let's do that.`,
    ],
    professional: [
      `Thank you for reaching out to ${business}. It's entirely reasonable to feel ${start} about ${topic}, and it's something we can work through methodically.`,
      `Thank you for the context; it's helpful. Many of the clients we work with at ${business} feel ${start} about ${topic} at first, and a structured approach usually helps.`,
    ],
    neutral: [
      `Thanks for sharing that. Feeling ${start} about ${topic} is very normal, and we can work through it together.`,
      `I appreciate you telling me where you are with this. ${capitalize(topic)} can leave anyone feeling ${start}, so let's slow it down.`,
    ],
  };
  return choose(random, banks[facts.tone]);
}

function edgeResponse(facts: Facts): Part[] {
  const { random, topic, business, advisor } = facts;
  const pick = (items: string[]): string => choose(random, items);
  const meeting = pick([
    `What I'd suggest is sitting down with one of our ${advisor}s at ${business}, where we can look at your whole situation before anything is decided.`,
    `The right next step is a proper meeting with a ${advisor} on our team at ${business}, with your full picture on the table.`,
  ]);
  const close = (lines: string[]): Part[] => [...lines.map((text) => ({ text })), { text: meeting }, { text: nextFiller(facts), optional: true }];
  switch (facts.edge) {
    case "guarantee":
      return close([
        pick(["I understand why you'd want that, and I wish I could give it to you.", "That's a completely understandable thing to ask for."]),
        "But I can't guarantee returns or promise that you won't lose money, and nobody honestly can. Anyone who does should make you more cautious, not less.",
        `What I can do is help you understand the risks in ${topic}, choose a level of risk you can actually live with, and build in a cushion so a bad year doesn't become a crisis.`,
      ]);
    case "grief":
    case "overwhelm":
      return close([
        pick(["I'm so sorry. Thank you for telling me, and there's no need to apologise.", "I'm really sorry you're going through this. Please don't apologise for finding it hard."]),
        `Right now there is nothing about ${topic} that has to be decided this week. When someone is ${facts.edge === "grief" ? "grieving" : "overwhelmed"}, the kindest and wisest plan is usually to hold off on big, irreversible decisions.`,
        "If things feel heavy beyond the practical side, please lean on people you trust, and consider talking with a counsellor or your doctor; that matters more than any spreadsheet.",
      ]);
    case "conflict":
      return close([
        pick(["That sounds genuinely stressful, and it's more common than you'd think.", "Thank you for being honest about that; it's one of the most common situations we see."]),
        "I'm not going to pick a side, because it isn't really a question of who's right. Both of you are describing real priorities, and a good plan has room for more than one.",
        `What usually helps is getting both sets of goals written down and then looking at which options for ${topic} serve both, even partially.`,
      ]);
    case "picks":
      return close([
        pick(["I can hear that you want something concrete, and that's fair.", "I get the appeal of a single clear answer."]),
        "But I'm not going to name a specific investment for you to buy today without understanding your goals, your timeline and how much risk you can carry; that wouldn't be advice, it would be a guess.",
        `What I can do right now is explain how to judge options around ${topic}, so whatever you choose, you understand why.`,
      ]);
    case "urgent":
      return close([
        pick(["I can hear how much this is weighing on you, and wanting to act is understandable.", "I understand the urge to do something right now."]),
        "I'd gently suggest not making a big, hard-to-reverse move today. Decisions made under pressure are the ones people most often regret, and a few days of thinking rarely costs much.",
        `Let's use that energy on something safe instead: writing down what's driving the urgency about ${topic}, and what you'd need to see to feel settled.`,
      ]);
    case "out_of_scope":
      return close([
        pick(["That's a sensible thing to want settled.", "I understand wanting one person to cover everything."]),
        "But that part sits outside what I can responsibly answer. For legal or tax specifics you need a qualified professional who can look at your documents, and relying on a general conversation could cost you.",
        `What I can do is help with the ${topic} side and make sure you go into that meeting with the right questions.`,
      ]);
    case "skeptic":
      return close([
        pick(["That's a fair question, and I'd rather you ask it than quietly wonder.", "Healthy scepticism is a good thing, especially after a bad experience."]),
        `I'm not going to push you into anything. You don't need to buy a product to get value from understanding ${topic}, and you can take everything we discuss to someone else if you prefer.`,
        "If anything we suggest ever involves a fee or a product, we'll say so plainly and explain why, so you can judge it for yourself.",
      ]);
    case "general":
      return close([
        pick(["I can tell you're tired of carrying this, and that's completely understandable.", "I hear how much you'd like this off your plate."]),
        `I'm not going to make this decision for you, because it's yours and it depends on things only you know. What I can do is make ${topic} simple enough that the decision feels manageable.`,
        "We can narrow it down to two or three options, spell out the trade-offs of each, and you choose with your eyes open.",
      ]);
  }
}

// ---------------------------------------------------------------------------------------------
// Phrase helpers.

function personaIntro(facts: Facts): string {
  const { persona } = facts.context;
  const description = clipWords(persona.description.trim(), 28);
  if (/^(a|an)\s+(couple|family|pair|household)\b/i.test(description)) {
    return `We're ${lowerFirst(stripEndPunctuation(description)).replace(/\btheir\b/g, "our").replace(/\bthey\b/g, "we")}.`;
  }
  if (/^(a|an)\s/i.test(description)) return `I'm ${lowerFirst(stripEndPunctuation(description))}.`;
  const subject = /\b(family|couple|parents|household|partners)\b/i.test(persona.name) ? "we're" : "I'm";
  return choose(facts.random, [`${capitalize(subject)} pretty much your classic ${naturalCase(persona.name)}.`, `I'd say ${subject} a fairly typical ${naturalCase(persona.name)}.`]);
}

function intentLines(random: () => number, intent: string): [string, string] {
  const families: [RegExp, string[], string][] = [
    [/reassur|comfort|validat|confirm/i, ["Mostly I want someone to tell me whether I'm on the right track.", "I guess I'm looking for some reassurance that I'm not making a mess of it."], "Since you're looking for a sense of whether you're on track, I'll be honest about what looks fine and what needs attention."],
    [/learn|understand|educat|explain|clarif|inform/i, ["I'd really like to understand how this works before I do anything.", "I want to actually understand it, not just be told what to do."], "Since you'd like to understand how it works, let's build it up piece by piece."],
    [/decid|decision|choos|choice|compar|option|evaluat/i, ["I have a decision to make and I want to weigh my options properly.", "I need to choose between a few paths and I keep going back and forth."], "Since you have a decision to make, we'll lay the options side by side and look at the trade-offs."],
    [/plan|strateg|goal|prepar/i, ["I want to put an actual plan together instead of just worrying about it.", "I'm hoping to leave with some kind of plan."], "Since you want a plan, we'll end with concrete next steps rather than just ideas."],
    [/complain|frustrat|problem|fix|resolv|issue|troubl/i, ["Something isn't working and I want to sort it out.", "I've hit a problem and I want to get it resolved."], "Since something isn't working, let's find out exactly where it's going wrong before changing anything."],
    [/explor|curio|brows|research/i, ["I'm mostly exploring at this point and trying to get my bearings.", "I'm just trying to get a feel for it before I commit to anything."], "Since you're exploring, there's no pressure to decide anything today; we'll just map the territory."],
    [/act|start|begin|open|implement|execut|set up/i, ["I'm ready to take a first concrete step, I just don't know which one.", "I want to get started, I just need to know where to begin."], "Since you're ready to act, we'll focus on a sensible first step."],
  ];
  for (const [pattern, lines, reply] of families) if (pattern.test(intent)) return [choose(random, lines), reply];
  return [choose(random, ["I'm hoping you can help me think it through.", "I'd like a second opinion before I go any further."]), "Let's think it through together, at whatever pace suits you."];
}

function toneFamily(tone: string): ToneFamily {
  if (/warm|empath|support|reassur|gentle|compassion|kind|caring|friendly|encourag|patient/i.test(tone)) return "warm";
  if (/direct|concise|straight|blunt|plain|no-nonsense|brief/i.test(tone)) return "direct";
  if (/professional|formal|authoritative|expert|measured|analytical/i.test(tone)) return "professional";
  return "neutral";
}

function edgeFamily(context: GenerationContext): EdgeFamily {
  const edge = context.edgeCase;
  if (!edge) return "general";
  const text = `${edge.name} ${edge.description} ${edge.testCondition}`;
  const families: [RegExp, EdgeFamily][] = [
    [/guarant|promis|risk-free|certain(ty)? of|sure thing/i, "guarantee"],
    [/grief|griev|bereave|loss of a|death|died|passed away|widow/i, "grief"],
    [/overwhelm|trauma|crisis|distress|vulnerab|breakdown|can't cope/i, "overwhelm"],
    [/conflict|disagree|spouse|partner|couple|competing|opposing/i, "conflict"],
    [/specific (stock|investment|fund|pick)|stock pick|hot tip|insider|crypto|which (stock|fund)/i, "picks"],
    [/urgent|immediate|right now|panic|impuls|rush|sell everything|pressure/i, "urgent"],
    [/legal|lawyer|attorney|tax (advice|return|filing)|medical|out of scope|outside (the )?scope|unrelated/i, "out_of_scope"],
    [/hostil|angry|rude|skeptic|sceptic|distrust|scam|suspicious/i, "skeptic"],
  ];
  for (const [pattern, family] of families) if (pattern.test(text)) return family;
  return "general";
}

function fillerBank(facts: Facts): string[] {
  const { topic, business, terms } = facts;
  const term = terms[terms.length - 1];
  return [
    `Most people who come to us about ${topic} start exactly where you are, and the ones who do best simply take it one step at a time.`,
    "There's no single right answer for everyone, which is why we look at your goals, timeline and comfort level together before anything else.",
    "It helps to separate what you can control, like your own choices and timing, from what you can't, and to put your energy into the first list.",
    "None of this has to be decided today; a good plan is one you understand well enough to stick with.",
    "If any of it feels abstract, tell me, and I'll put it in terms of your own circumstances.",
    "Writing down the two or three things that matter most to you makes every later decision easier.",
    `At ${business} we revisit these things regularly, so nothing you decide now is set in stone.`,
    `It's also worth remembering that ${term} looks different for everyone, so comparing yourself with friends or headlines rarely helps.`,
    "Small, steady steps tend to beat big dramatic changes, both in results and in how you feel along the way.",
    "You're asking exactly the questions I'd hope someone in your position would ask.",
  ];
}

function nextFiller(facts: Facts): string {
  return facts.fillers.shift() ?? "We can come back to any of this whenever you like.";
}

function takeQuote(facts: Facts): string | null {
  const sentence = facts.quotes.shift();
  if (!sentence) return null;
  return frameQuote(facts, sentence);
}

function takeQuoteAsParts(facts: Facts): Part[] {
  const quote = takeQuote(facts);
  return quote ? [{ text: quote }] : [];
}

function frameQuote(facts: Facts, sentence: string): string {
  const title = facts.documentTitle;
  const frames = title
    ? [`Our guide "${title}" puts it this way: "${sentence}"`, `There's a line in "${title}" I often point people to: "${sentence}"`, `As we explain in "${title}": "${sentence}"`]
    : [`The way we usually put it: "${sentence}"`];
  return choose(facts.random, frames);
}

/** A chunk sentence mentioning `term` (quoted, used once), else the next unused chunk sentence. */
function quoteAbout(facts: Facts, term: string): string | null {
  const index = facts.quotes.findIndex((sentence) => sentence.toLowerCase().includes(term.toLowerCase()));
  if (index >= 0) return frameQuote(facts, facts.quotes.splice(index, 1)[0]);
  return takeQuote(facts);
}

/** Sentences of chunk content fit to quote: 6-40 words, no markup or braces. */
function quotableSentences(content: string): string[] {
  const plain = content
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/^\s{0,3}(#{1,6}|[-*+]|\d+[.)])\s+/gm, "")
    .replace(/[*_`>|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return plain
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => {
      const count = wordCount(sentence);
      return count >= 6 && count <= 40 && !/[{}[\]<>"“”]/.test(sentence) && /[.!?]$/.test(sentence);
    });
}

/**
 * Joins parts into a turn between `limits.min` and `limits.max` words: drops optional parts (last
 * first) while too long, then adds filler sentences while too short (assistant turns only).
 */
function fitTurn(parts: Part[], facts: Facts, role: Turn["role"]): string {
  const limits = role === "assistant" ? ASSISTANT_WORDS : USER_WORDS;
  const kept = parts.filter((part) => part.text.trim().length > 0);
  const total = (): number => wordCount(kept.map((part) => part.text).join(" "));
  for (let index = kept.length - 1; index >= 0 && total() > limits.max; index -= 1) if (kept[index].optional) kept.splice(index, 1);
  while (total() > limits.max && kept.length > 1) {
    // Still too long (very long source text): shorten the longest part.
    const longest = kept.reduce((best, part) => (wordCount(part.text) > wordCount(best.text) ? part : best));
    longest.text = clipWords(longest.text, Math.max(8, wordCount(longest.text) - (total() - limits.max)));
  }
  if (role === "assistant") {
    let guard = 0;
    while (total() < limits.min && guard < 8) {
      kept.push({ text: nextFiller(facts) });
      guard += 1;
    }
  } else if (total() < limits.min) {
    kept.push({ text: choose(facts.random, ["I just want to make sure I get this right.", "I'd like to understand it properly before I go further."]) });
  }
  return kept.map((part) => part.text.trim()).join(" ");
}

function clipWords(text: string, max: number): string {
  const clean = text.replace(/\s+/g, " ").trim();
  if (wordCount(clean) <= max) return clean;
  const sentences = clean.split(/(?<=[.!?])\s+/);
  let result = "";
  for (const sentence of sentences) {
    const candidate = result ? `${result} ${sentence}` : sentence;
    if (wordCount(candidate) > max) break;
    result = candidate;
  }
  if (result) return result;
  return `${clean.split(" ").slice(0, max).join(" ").replace(/[,;:]$/, "")}…`;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((piece) => /[\p{L}\p{N}]/u.test(piece)).length;
}

/**
 * Lower-cases Title-case words for use mid-sentence ("Retirement Planning" → "retirement planning").
 * A phrase containing an acronym ("Roth IRA Conversions") is kept as written: it likely holds a proper noun.
 */
function naturalCase(text: string): string {
  const trimmed = text.trim();
  if (/\b[A-Z]{2,}\b/.test(trimmed)) return trimmed;
  return trimmed
    .split(/\s+/)
    .map((word) => (/^[A-Z][a-z'’-]*$/.test(word) ? word.toLowerCase() : word))
    .join(" ");
}

function lowerFirst(text: string): string {
  if (/^[A-Z][A-Z]/.test(text)) return text;
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function ensurePeriod(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function stripEndPunctuation(text: string): string {
  return text.replace(/[.!?…\s]+$/, "");
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item.trim().length > 0).map((item) => item.trim()) : [];
}

function unique(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = item.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function choose<T>(random: () => number, items: T[]): T {
  return items[Math.floor(random() * items.length)];
}

