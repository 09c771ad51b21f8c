/**
 * Constrained decoding: JSON Schema, any JSON object, regex, choice, GBNF and Lark grammars, and tool
 * calls all compile to one byte-level {@link lumen.sampler.constraint.grammar.Grammar}; one matcher
 * over the vocabulary's token trie builds the mask of allowed tokens (llguidance's design).
 *
 * <pre>{@code
 * TokenVocabulary vocab = TokenVocabulary.of(tokenizer);             // once per model
 * Constraint c = Constraints.jsonSchema(schemaJson, true, vocab);    // once per request; thread-safe
 * Matcher m = c.start();                                             // one per sequence
 * BitSet allowed = new BitSet(vocab.size());
 * while (true) {
 *     m.fillMask(allowed);                 // logits[i] = -inf where !allowed.get(i)
 *     int token = sample(logits);
 *     m.accept(token);                     // throws ConstraintException if it was not allowed
 *     if (vocab.endOfGeneration().get(token)) break;
 * }
 * }</pre>
 * When {@link lumen.sampler.constraint.Matcher#isFinished()} is true, only end-of-generation tokens
 * are allowed; the engine may stop right there.
 */
package lumen.sampler.constraint;
