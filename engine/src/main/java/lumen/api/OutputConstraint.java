package lumen.api;

import java.util.List;

/** What generated text must match; {@link #NONE} leaves it free. */
public sealed interface OutputConstraint {
    /** No constraint. */
    record None() implements OutputConstraint {
    }

    /** A JSON document valid against the schema; strict rejects schemas it cannot enforce exactly. */
    record JsonSchema(String schema, boolean strict) implements OutputConstraint {
    }

    /** Any JSON object (response_format json_object). */
    record JsonObject() implements OutputConstraint {
    }

    /** Text matching the whole regular expression. */
    record Regex(String pattern) implements OutputConstraint {
    }

    /** Exactly one of the options. */
    record Choice(List<String> options) implements OutputConstraint {
        public Choice {
            options = List.copyOf(options);
        }
    }

    /** A llama.cpp GBNF grammar. */
    record Gbnf(String grammar) implements OutputConstraint {
    }

    /** A Lark grammar (as OpenAI custom tools and llguidance use it). */
    record Lark(String grammar) implements OutputConstraint {
    }

    OutputConstraint NONE = new None();
}
