/**
 * Hand-written, good training conversations from six different businesses (issue 12, item 6),
 * each with what it is about (persona, emotion, topic with key terms, intent, tone, tier), and
 * `deriveDefectiveConversations`, which breaks each one in every way the quality score must catch.
 *
 * The good conversations are written the way a careful human would write a training example:
 * 8-16 turns, the customer speaking in their own voice with specific details, the assistant
 * answering the question actually asked, with concrete facts of that business.
 */
import { fnv1a32, seededRandom, shuffled } from "../../src/core/seeded-random";
import type { Tier } from "../../src/lib/constants";

export interface FixtureTurn {
  role: string;
  content: string;
}

export interface FixtureConversation {
  id: string;
  business: string;
  persona: { name: string; description: string };
  emotion: string;
  topic: { name: string; keyTerms: string[] };
  intent: string;
  tone: string;
  tier: Tier;
  turns: FixtureTurn[];
}

export const GOOD_CONVERSATIONS: FixtureConversation[] = [
  {
    id: "bakery-allergy-cake",
    business: "Crumb & Co. Bakery",
    persona: { name: "Worried Parent", description: "A parent planning a birthday party for a child with a tree-nut allergy." },
    emotion: "Anxiety to Relief",
    topic: { name: "Custom Celebration Cakes", keyTerms: ["nut-free", "allergen", "sponge", "buttercream", "order deadline"] },
    intent: "Place an order",
    tone: "Warm and reassuring",
    tier: "template",
    turns: [
      {
        role: "user",
        content:
          "Hi! My son Leo turns six on the 14th and he's desperate for a dinosaur cake. The problem is he has a tree-nut allergy, and the last bakery we tried couldn't promise anything. Is that something you can actually do safely?",
      },
      {
        role: "assistant",
        content:
          "Happy almost-birthday to Leo! Yes, we can make him a nut-free cake, and I'll be straight with you about how. Our kitchen doesn't use peanuts or tree nuts in any recipe, including the praline and marzipan most bakeries keep around, and we haven't stocked them since 2019. The one thing we can't fully control is our flour and chocolate suppliers, so I'd like to send you the allergen sheets for the exact ingredients we'd use. That way you can check every label yourself before you decide.",
      },
      {
        role: "user",
        content: "That would be amazing, thank you. He's only ever had one reaction but it was scary. What sizes do you do? We're expecting about 20 kids and maybe 10 adults.",
      },
      {
        role: "assistant",
        content:
          "For thirty people I'd suggest our 9-inch round, two layers tall, which gives about 30 party-sized slices. If the adults are likely to want a proper slice with coffee, the 10-inch is safer and serves around 40. Both come in vanilla, chocolate or lemon sponge. For a dinosaur design, the 9-inch is plenty of canvas: we can pipe a green buttercream landscape on top with a fondant T-rex and a little volcano.",
      },
      {
        role: "user",
        content: "A volcano! He'd lose his mind. Chocolate sponge please. How much would the 9-inch be with the dinosaur on top?",
      },
      {
        role: "assistant",
        content:
          "The 9-inch chocolate sponge with buttercream is £48, and the fondant T-rex and volcano add £22, so £70 in total. If you'd like his name and age piped on the board, that's included. We ask for a £20 deposit when you order, and the rest is paid at pickup. I should mention that the fondant figures are made in the same nut-free kitchen, with sugar paste from a supplier whose sheet I'll include too.",
      },
      {
        role: "user",
        content: "Perfect. When do I need to order by? The party is Saturday the 14th and I'd rather pick it up that morning.",
      },
      {
        role: "assistant",
        content:
          "For decorated cakes we need the order a week ahead, so by Saturday the 7th. Saturday pickup runs from 8 am to 1 pm, and I'd recommend 9 am so the buttercream isn't sitting in a warm car for long. The cake will come in a sealed box with a label listing every ingredient, and we'll tape it shut in the kitchen so you know nothing was added after it left us.",
      },
      {
        role: "user",
        content: "Honestly that label thing makes me feel so much better. Can I also get a few cupcakes for the kids who don't like chocolate? Maybe twelve?",
      },
      {
        role: "assistant",
        content:
          "Of course. A dozen vanilla cupcakes with green buttercream would match the cake nicely, and they're £24 for twelve. They're made in the same nut-free batch on the same morning, and they'll go in the same sealed box system with their own ingredient label. That brings the order to £94, with the £20 deposit today and £74 when you collect on the 14th.",
      },
      {
        role: "user",
        content: "Let's do it. I'm so relieved, I was dreading this. How do I pay the deposit?",
      },
      {
        role: "assistant",
        content:
          "I'm really glad we could help. You can pay the deposit by card over the phone on 0161 555 0142, or in the shop any day from Tuesday to Saturday. Once it's paid, I'll email the order confirmation together with the allergen sheets for the flour, cocoa, butter and sugar paste, so you have them well before the party. We'll see you and the T-rex at 9 am on the 14th.",
      },
    ],
  },
  {
    id: "bike-gears-skipping",
    business: "Spoke & Chain Cycles",
    persona: { name: "Daily Commuter", description: "Someone who rides 12 km to work every day and cannot be without the bike for long." },
    emotion: "Frustration to Relief",
    topic: { name: "Drivetrain Repairs", keyTerms: ["chain wear", "cassette", "derailleur", "indexing"] },
    intent: "Fix a problem",
    tone: "Plain-spoken and practical",
    tier: "scenario",
    turns: [
      {
        role: "user",
        content:
          "my gears keep skipping when I push hard up the hill on my way to work, mostly in the middle of the cassette. it's a 2018 hybrid, 9-speed. I already tried turning the little barrel adjuster and it got worse. what's going on?",
      },
      {
        role: "assistant",
        content:
          "Skipping under load in the middle gears is usually one of two things: the indexing is out, or the chain and cassette are worn. Since turning the barrel adjuster made it worse, the cable tension was probably close to right to begin with, which points toward wear. On a 2018 bike ridden to work every day, a worn chain is the most likely cause. Do you know roughly how many kilometres the current chain has done?",
      },
      {
        role: "user",
        content: "No idea honestly. It's the original chain. I ride about 24 km a day, five days a week, so a lot.",
      },
      {
        role: "assistant",
        content:
          "That's roughly 5,000 km a year, so the original chain has likely done 15,000 km or more. Chains usually want replacing around 3,000 to 5,000 km. When a chain stretches past that, it wears the cassette teeth to match, and then a new chain on the old cassette skips too. So you'll probably need both replaced. We can measure the chain with a wear gauge in about thirty seconds to confirm before we quote anything.",
      },
      {
        role: "user",
        content: "ugh. How much are we talking, and how long would I be without the bike? I don't have a backup.",
      },
      {
        role: "assistant",
        content:
          "For a 9-speed hybrid, a new chain is £22 and a Shimano cassette is about £30. Fitting both and re-indexing the gears is £25 labour, so around £77 in total. If the chainrings at the front are badly worn as well, that adds to it, but we'd call you before doing anything extra. Drop it off before 9 am and it's ready by 5 pm the same day, so you can ride it home.",
      },
      {
        role: "user",
        content: "Same day is great. Could I just replace the chain this time and do the cassette later to save money?",
      },
      {
        role: "assistant",
        content:
          "You can try, and if the gauge shows the chain only slightly worn, that can work. But with that mileage, a fresh chain on a worn cassette will most likely skip in exactly the gears you use most, and you'd be back within a week paying the labour twice. If budget is tight, I'd rather do both now and skip the full service. We'll hand you the old cassette so you can see the hooked teeth yourself.",
      },
      {
        role: "user",
        content: "Fair enough, that makes sense. I'll bring it in Thursday morning before work. Anything I should do to make the new chain last longer?",
      },
      {
        role: "assistant",
        content:
          "Two habits make the biggest difference. Wipe the chain with a rag and re-lube it every couple of weeks, more often after wet rides, and wipe off the excess so it doesn't collect grit. And ask us to check it with the gauge whenever you're passing; it's free and takes a minute. Changing the chain at 0.5% wear means the next cassette can last through two or three chains. See you Thursday morning.",
      },
    ],
  },
  {
    id: "physio-runners-knee",
    business: "Riverside Physiotherapy",
    persona: { name: "New Runner", description: "A 41-year-old who took up running six weeks ago and now has knee pain." },
    emotion: "Worry to Confidence",
    topic: { name: "Running Injuries", keyTerms: ["patellofemoral pain", "load", "strengthening", "assessment"] },
    intent: "Understand a problem",
    tone: "Patient teaching",
    tier: "template",
    turns: [
      {
        role: "user",
        content:
          "I started running six weeks ago with a couch-to-5k plan and now the front of my right knee aches, especially going down stairs and after sitting through a long meeting. I'm 41. Have I wrecked my knee?",
      },
      {
        role: "assistant",
        content:
          "It's very unlikely you've wrecked anything. Pain at the front of the knee that's worse on stairs and after sitting for a while is a classic pattern, often called patellofemoral pain or runner's knee. It usually means the tissues around the kneecap are irritated because the load went up faster than they could adapt, which is common around weeks five to eight of a new running plan. It responds well to the right exercises. Can I ask whether there was any swelling, locking or giving way?",
      },
      {
        role: "user",
        content: "No swelling that I can see, and it's never given way. It just aches, maybe 4 out of 10 at worst. The day after a run is the worst.",
      },
      {
        role: "assistant",
        content:
          "That's reassuring. No swelling, no giving way and a moderate ache all fit with irritation rather than structural damage. The fact that it's worse the day after tells us the running load is currently a bit more than the knee can recover from between sessions. So the plan isn't to stop completely; it's to bring the load down to a level where the pain stays at 3 out of 10 or below during the run and settles by the next morning.",
      },
      {
        role: "user",
        content: "So I can keep running? Everyone at work told me to rest it completely for a month.",
      },
      {
        role: "assistant",
        content:
          "Complete rest usually isn't needed, and a month off tends to leave the knee less prepared when you return. Most people do better by keeping some running at a lower dose. For the next two weeks, I'd repeat the week of the plan that felt comfortable, probably week three or four, and run on flat ground rather than hills. Add a rest day between runs. If the ache the next morning is no worse than before, you can move forward a week at a time.",
      },
      {
        role: "user",
        content: "That sounds doable. Are there exercises I should be doing as well?",
      },
      {
        role: "assistant",
        content:
          "Yes, strengthening is the part that makes the biggest long-term difference. Three to start with: a wall sit, sliding down only as far as is comfortable and holding for 30 seconds; step-ups onto the bottom stair, 3 sets of 10 on each leg; and side-lying leg raises for the hip, 3 sets of 15. Do them every other day. Mild discomfort is fine, but if the knee aches more than 3 out of 10 during an exercise, make it smaller rather than pushing through.",
      },
      {
        role: "user",
        content: "Great. Should I come in for an appointment, or can I just do this on my own?",
      },
      {
        role: "assistant",
        content:
          "Plenty of people manage this on their own with the plan above. I'd suggest booking an assessment if it isn't clearly improving after three weeks, if it starts waking you at night, or if you notice swelling. In an assessment we'd watch you run on the treadmill, check your hip and ankle strength, and adjust the exercises to you. Initial assessments are 45 minutes and cost £55, and you can book online or on 020 7946 0831.",
      },
      {
        role: "user",
        content: "Thank you, I feel a lot better about this. I'll drop back to week three and start the exercises tonight.",
      },
      {
        role: "assistant",
        content:
          "That's a sensible plan. Keep a quick note of your pain score during each run and the next morning; it makes it easy to see progress, and it's useful if you do come in. Most people with this pattern are back to running comfortably within six to eight weeks. Good luck with week three, and enjoy the flat routes for a while.",
      },
    ],
  },
  {
    id: "software-spreadsheet-replacement",
    business: "Northbeam Software",
    persona: { name: "Operations Manager", description: "Runs operations at a 40-person logistics firm that lives in shared spreadsheets." },
    emotion: "Skepticism to Trust",
    topic: { name: "Custom Internal Tools", keyTerms: ["discovery", "fixed-price phase", "data migration", "spreadsheets"] },
    intent: "Compare options",
    tone: "Candid and direct",
    tier: "scenario",
    turns: [
      {
        role: "user",
        content:
          "We're a 40-person freight forwarder and our whole booking process lives in about fifteen shared Google Sheets. Things fall through the cracks every week. I've had two agencies quote us six figures for a custom system. Is that really what this costs, or are we being taken for a ride?",
      },
      {
        role: "assistant",
        content:
          "It can cost that, but it doesn't have to start there. A six-figure quote before anyone has looked at your spreadsheets usually means the agency is pricing in a lot of uncertainty. The way we work is to begin with a two-week discovery: we sit with the people who use the sheets, map the booking flow, and find the three or four steps where things actually fall through the cracks. That costs £6,000, and you keep the findings whether or not you build anything with us.",
      },
      {
        role: "user",
        content: "And what would we actually get at the end of those two weeks? I don't want a slide deck.",
      },
      {
        role: "assistant",
        content:
          "Fair concern. You'd get three concrete things: a written map of the booking process as it really runs, including the workarounds people don't talk about; a prioritised list of what to build first, with a fixed price for that first phase; and a clickable prototype of the main booking screen that your team has already tried. If the honest answer is that better-organised spreadsheets and a couple of automations would solve most of it, we'll tell you that too.",
      },
      {
        role: "user",
        content: "That's more honest than I expected. If we did go ahead, how long before people could actually use something?",
      },
      {
        role: "assistant",
        content:
          "For a first phase covering booking intake and status tracking, which is usually where the most time is lost, expect eight to ten weeks from the end of discovery. We release something usable every two weeks, so your coordinators would be trying real screens by week four. The spreadsheets keep running alongside until the new tool has handled a full month of bookings without anyone reaching for the old sheet.",
      },
      {
        role: "user",
        content: "What about the data? Years of bookings are in those sheets and half the columns are inconsistent.",
      },
      {
        role: "assistant",
        content:
          "That's normal, and it's part of discovery to size it. We'd ask for an export of each sheet so we can profile it, something as simple as:\n\n```\nbooking_ref,customer,origin,destination,pickup_date,status\n```\n\nFrom that we can see how many formats the dates come in, how many customer names are spelled three ways, and which columns nobody uses. Usually we migrate the last two years in full and archive the rest as read-only, which keeps the data migration to a week or so rather than a project of its own.",
      },
      {
        role: "user",
        content: "Okay. Two years is what we actually look at anyway. Who would own the code at the end?",
      },
      {
        role: "assistant",
        content:
          "You would. The code lives in a repository in your company's account from day one, and the contract assigns the intellectual property to you on payment of each phase. We use common, well-documented tools, so another developer could pick it up if you ever wanted to move on. We'd also offer a support retainer after launch, but it's optional and month-to-month.",
      },
      {
        role: "user",
        content: "Right. Let me take the discovery option to our MD. Can you send something in writing I can forward?",
      },
      {
        role: "assistant",
        content:
          "Of course. I'll send a two-page proposal today covering the discovery scope, the £6,000 fixed price, the three deliverables, and the dates we could start, which would be the week of 3 March. I'll also include a short case study from a removals company with a similar spreadsheet setup, with their operations lead's contact details in case your MD would like to hear it from a client rather than from us.",
      },
    ],
  },
  {
    id: "vet-senior-cat-thirst",
    business: "Hillside Veterinary Clinic",
    persona: { name: "Long-Time Pet Owner", description: "Owner of a 13-year-old cat who has noticed a change in her habits." },
    emotion: "Concern to Reassurance",
    topic: { name: "Senior Pet Health", keyTerms: ["blood test", "kidney", "thyroid", "urine sample"] },
    intent: "Decide whether to book",
    tone: "Calm and grounding",
    tier: "template",
    turns: [
      {
        role: "user",
        content:
          "My cat Mabel is 13 and over the last couple of weeks she's been drinking loads more than usual. I'm refilling her water bowl twice a day now, and the litter tray is much wetter. She's still eating. Is this just old age?",
      },
      {
        role: "assistant",
        content:
          "I'm glad you noticed, because a clear increase in drinking is worth looking into rather than putting down to age. In a 13-year-old cat, the most common causes are kidney changes, an overactive thyroid and diabetes. All three are manageable, especially when they're found early, and a blood test and urine sample will usually tell us which one it is, if any. Has her weight or appetite changed at all?",
      },
      {
        role: "user",
        content: "She seems hungrier if anything, and I think she feels a bit bonier when I stroke her back. She's also been quite yowly at night.",
      },
      {
        role: "assistant",
        content:
          "Thank you, that's really helpful. A bigger appetite with weight loss and night-time yowling fits quite well with an overactive thyroid, which is very common in older cats. It can also happen alongside kidney changes, so we'd want to check both. I'd recommend booking a senior health check within the next week or so. It isn't an emergency, but the thyroid can affect her heart and blood pressure if it's left for months.",
      },
      {
        role: "user",
        content: "Okay. What happens at the appointment? She hates the carrier and gets very stressed.",
      },
      {
        role: "assistant",
        content:
          "Lots of cats do. We'll book her into one of our cat-only consult times, in a room that doesn't have dogs passing through. The vet will weigh her, listen to her heart, check her blood pressure and take a small blood sample, usually from the neck, which takes a couple of minutes. Leaving the carrier out at home for a few days with a blanket that smells of her helps, and we can send you a calming spray to use in it beforehand.",
      },
      {
        role: "user",
        content: "That helps. Do I need to bring anything? And how much will it all cost?",
      },
      {
        role: "assistant",
        content:
          "If you can, bring a urine sample. We'll give you non-absorbent litter beads to put in a clean tray the night before, and a small pot to pour it into. The senior health check consult is £52, and the blood panel including thyroid and kidney values is £118. Most results come back the same afternoon, and the vet will phone you to go through them rather than leaving you to wait for the next visit.",
      },
      {
        role: "user",
        content: "Okay, that's less scary than I thought. Can I book for Thursday?",
      },
      {
        role: "assistant",
        content:
          "Thursday works. We have cat-only appointments at 10:20 am and 2:40 pm with Dr Okafor, who has a special interest in older cats. Tell me which suits you and I'll reserve it and pop the litter beads and sample pot in the post today, so you have them in time. Until then, keep her water bowl full; she's drinking more because her body needs it, so please don't limit it.",
      },
    ],
  },
  {
    id: "garden-lawn-moss",
    business: "Greenway Garden Centre",
    persona: { name: "First-Time Homeowner", description: "Bought a house with a neglected lawn last autumn and wants it to look decent by summer." },
    emotion: "Confusion to Clarity",
    topic: { name: "Lawn Care", keyTerms: ["scarifying", "moss killer", "overseeding", "drainage"] },
    intent: "Learn how to do it",
    tone: "Friendly and encouraging",
    tier: "template",
    turns: [
      {
        role: "user",
        content:
          "Hello, we moved in last autumn and the back lawn is more moss than grass, especially in the corner under the big sycamore. It's spongy when you walk on it. Where do I even start? The shelf of lawn products in your shop is overwhelming.",
      },
      {
        role: "assistant",
        content:
          "That shelf overwhelms most people, so you're in good company. Spongy, mossy lawns usually have three things going on: too much shade, soil that stays wet, and grass that's too thin to compete. So the order matters: kill the moss first, rake it out, then thicken the grass so the moss has nowhere to come back. Early April is a good time to start, once the soil has warmed up a little. Roughly how big is the lawn?",
      },
      {
        role: "user",
        content: "About 10 metres by 8, so 80 square metres? The sunny half is not too bad, it's mostly the shady corner.",
      },
      {
        role: "assistant",
        content:
          "Perfect, that's a manageable size. Step one is a liquid moss killer based on ferrous sulphate; a 1-litre bottle treats up to 100 square metres and costs £11.99. Spray it on a dry day when no rain is forecast for 24 hours. Within a week the moss turns black, which means it's dead. Don't worry about the colour; the dead moss is what you'll rake out next.",
      },
      {
        role: "user",
        content: "And the raking, can I do that by hand? I don't really want to buy a big machine.",
      },
      {
        role: "assistant",
        content:
          "By hand is fine for 80 square metres, it's just a good workout. Use a spring-tine rake and pull hard in two directions, which is called scarifying. You'll be shocked by how much comes out; several bags is normal. If your back objects, we rent an electric scarifier for £25 a day, and it does the job in under an hour. Either way, the lawn will look terrible afterwards, and that's expected.",
      },
      {
        role: "user",
        content: "Good to know, I'd have panicked. Then I put new seed down?",
      },
      {
        role: "assistant",
        content:
          "Exactly, that's overseeding. For the sunny half, a general hard-wearing mix works well. For the corner under the sycamore, use a shade-tolerant mix with fine fescues, because ordinary seed just gives up there. Sow about 35 grams per square metre, rake it in lightly, and keep it damp for the next three weeks. A light sprinkle every morning is better than a heavy soak once a week.",
      },
      {
        role: "user",
        content: "That makes sense. Is there anything I can do so the moss doesn't just come back next year?",
      },
      {
        role: "assistant",
        content:
          "A few things help a lot. Cut the grass no shorter than 4 cm, especially in the shade, since short grass is weaker. Improve the drainage in the spongy corner by pushing a garden fork in 10 cm deep every 15 cm and brushing sharp sand into the holes. And ask a tree surgeon about lifting the sycamore's lower branches; more light is the single best moss killer there is. Come and see us at the garden centre in April and we'll pick out the seed with you.",
      },
    ],
  },
];

/** What a derived conversation breaks, in the words of the list of defects. */
export type DefectKind =
  | "word_salad"
  | "word_salad_one_turn"
  | "turns_out_of_order"
  | "roles_swapped"
  | "truncated"
  | "repeated_assistant_turns"
  | "terse_answers"
  | "ai_disclaimer"
  | "template_labels"
  | "placeholder_braces"
  | "unrelated_answers"
  | "empty_turn"
  | "repeated_user_message"
  | "json_fragment"
  | "code_fence_fragment";

export interface DefectiveConversation extends FixtureConversation {
  defect: DefectKind;
}

/**
 * Breaks `good` in every way of `DefectKind`, deterministically (a seeded shuffle).
 *
 * @param good one of GOOD_CONVERSATIONS
 * @param other another good conversation, from a different business, for the unrelated answers
 */
export function deriveDefectiveConversations(good: FixtureConversation, other: FixtureConversation): DefectiveConversation[] {
  const random = seededRandom(fnv1a32(good.id));
  const turns = good.turns;
  const make = (defect: DefectKind, derived: FixtureTurn[]): DefectiveConversation => ({ ...good, id: `${good.id}:${defect}`, defect, turns: derived });
  const assistantIndexes = turns.flatMap((turn, index) => (turn.role === "assistant" ? [index] : []));
  const userIndexes = turns.flatMap((turn, index) => (turn.role === "user" ? [index] : []));
  const middleAssistant = assistantIndexes[Math.floor(assistantIndexes.length / 2)];
  const middleUser = userIndexes[Math.floor(userIndexes.length / 2)];
  const longestAssistant = assistantIndexes.reduce((longest, index) => (turns[index].content.length > turns[longest].content.length ? index : longest));

  return [
    // Every turn's words in random order (what a broken or badly sampled model produces).
    make("word_salad", turns.map((turn) => ({ ...turn, content: shuffled(random, turn.content.split(/\s+/)).join(" ") }))),
    // Only the longest answer's words in random order.
    make("word_salad_one_turn", turns.map((turn, index) => (index === longestAssistant ? { ...turn, content: shuffled(random, turn.content.split(/\s+/)).join(" ") } : turn))),
    // The turns in random order, each keeping its role.
    make("turns_out_of_order", shuffleUntilMoved(random, turns)),
    // Every role flipped: the customer now answers and the business asks.
    make("roles_swapped", turns.map((turn) => ({ ...turn, role: turn.role === "user" ? "assistant" : "user" }))),
    // Cut off after three turns.
    make("truncated", turns.slice(0, 3)),
    // From the middle on, the assistant says the same thing again and again.
    make("repeated_assistant_turns", turns.map((turn, index) => (turn.role === "assistant" && index > middleAssistant ? { ...turn, content: turns[middleAssistant].content } : turn))),
    // One-to-three-word answers.
    make("terse_answers", turns.map((turn, index) => (turn.role === "assistant" ? { ...turn, content: ["Sure.", "Yes, definitely.", "Sounds good to me.", "Okay.", "Not really.", "We can."][index % 6] } : turn))),
    // A model disclaimer opening a middle answer.
    make("ai_disclaimer", turns.map((turn, index) => (index === middleAssistant ? { ...turn, content: `As an AI language model, I don't have personal experience with this, and I can't give professional advice. ${turn.content}` } : turn))),
    // The template's labels pasted into the first turn instead of a natural opening.
    make("template_labels", turns.map((turn, index) => (index === 0 ? { ...turn, content: `As a ${good.persona.name} feeling ${good.emotion}, I want to ask about ${good.topic.name}. ${turn.content}` } : turn))),
    // Template placeholders left unfilled.
    make("placeholder_braces", turns.map((turn, index) => (index === 0 ? { ...turn, content: `As a {persona} feeling {emotion}, I have a question about {topic}. ${turn.content}` } : turn))),
    // Every answer taken from a conversation of another business.
    make("unrelated_answers", replaceAnswers(turns, other.turns)),
    // A user turn that is only whitespace.
    make("empty_turn", turns.map((turn, index) => (index === middleUser ? { ...turn, content: " \n\t " } : turn))),
    // The customer sends the same message again and again.
    make("repeated_user_message", turns.map((turn, index) => (turn.role === "user" && index > 0 ? { ...turn, content: turns[0].content } : turn))),
    // The reply's JSON leaking into a turn.
    make("json_fragment", turns.map((turn, index) => (index === middleAssistant ? { ...turn, content: `${turn.content}"}, {"role": "user", "content": "` } : turn))),
    // A stray code fence from the reply's wrapping.
    make("code_fence_fragment", turns.map((turn, index) => (index === turns.length - 1 ? { ...turn, content: `${turn.content}\n\`\`\`` } : index === 0 ? { ...turn, content: `\`\`\`json\n${turn.content}` } : turn))),
  ];
}

function replaceAnswers(turns: FixtureTurn[], others: FixtureTurn[]): FixtureTurn[] {
  const answers = others.filter((turn) => turn.role === "assistant");
  let next = 0;
  return turns.map((turn) => (turn.role === "assistant" ? { ...turn, content: answers[next++ % answers.length].content } : turn));
}

function shuffleUntilMoved<T>(random: () => number, items: T[]): T[] {
  for (;;) {
    const reordered = shuffled(random, items);
    if (reordered.some((item, index) => item !== items[index])) return reordered;
  }
}


