/** Automatic quality score of conversations (docs/quality.md). */
export { countWords, qualityBand, scoreConversation } from "./score-conversation";
export {
  MIN_USABLE_TURNS,
  QUALITY_BLOCKING_CAP,
  QUALITY_CRITERIA,
  QUALITY_CRITERION_LABELS,
  QUALITY_SCORER_VERSION,
  QUALITY_WEAKEST_LINK_MARGIN,
  QUALITY_WEIGHTS,
  TERSE_ANSWER_MAX_WORDS,
  TURN_LENGTH_TARGETS,
  type LegacyQualityCriterionId,
  type QualityBand,
  type QualityCriterion,
  type QualityCriterionId,
  type QualityInput,
  type QualityResult,
} from "./quality-types";
export { isQualityOutdated, readStoredQuality, rescoreConversation } from "./stored-quality";
export { scoreChatRecordLine, scoreChatRecords, type ChatRecordScore } from "./score-chat-records";
