/** Raw, human-edited lexicon for one language. Weights are magnitudes ~0.3 (faint) .. 3 (extreme). */
export interface LexiconSource {
  positive: Record<string, number>;
  negative: Record<string, number>;
  /**
   * Terms negation does not flip: they name something the customer wants but
   * only mention when it went wrong ("still no refund", "不给退款").
   */
  unflippable?: string[];
  /**
   * Terms that are only opinions when they end a clause (质量一般 vs 一般几天到账,
   * 太麻烦了 vs 麻烦帮我查一下); elsewhere they are adverbs or polite forms.
   */
  predicativeOnly?: string[];
  /**
   * Fixed expressions that contain a sentiment word but express none (求推荐 =
   * "any recommendations?"). Registered as single tokens with weight 0.
   */
  neutral?: string[];
  /** Signed whole-text cues no single word carries, e.g. churn ("never buying … again"). */
  patterns?: { pattern: RegExp; weight: number }[];
  /** Words that flip the polarity of a following sentiment term. */
  negators: string[];
  /** Degree adverbs / intensifiers: multiplier applied to the following sentiment term. */
  degree: Record<string, number>;
  /** "but"-type words: the clause after them dominates the clause before. */
  contrast: string[];
  /** Contrast words that only act as "but" at the start of a clause (…，就是物流有点慢). */
  clauseInitialContrast?: string[];
  /**
   * Sarcasm cues, matched on the lowercased text. `whenNegative` cues only
   * count if the post also contains a negative term ("love how it crashes").
   */
  sarcasm: { pattern: RegExp; whenNegative?: boolean }[];
}
