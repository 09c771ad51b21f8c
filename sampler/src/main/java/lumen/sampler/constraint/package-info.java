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
 * are allowed; the engine may stop right there. Special tokens are allowed only where a grammar names
 * them (tool-call markers such as Kimi K2's {@code <|tool_call_begin|>}, see
 * {@link lumen.sampler.constraint.ToolCalls}); the engine must keep such tokens in the text it hands to
 * the tool-call parser.
 *
 * <p>Speed: masks are cached per parser state; a mask inside plain text (a JSON string) sets the
 * vocabulary's plain-text tokens at once where the state provably accepts all of them
 * ({@code grammar.TokenSlices}) and walks only the trie of the other tokens.
 */
package lumen.sampler.constraint;
