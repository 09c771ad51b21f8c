package lumen.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import lumen.chat.ChatTemplate;
import lumen.engine.EngineException;
import lumen.loader.ModelFile;
import lumen.tokenizer.Tokenizer;
import lumen.tokenizer.load.Tokenizers;

/** Renders chat templates: a model's own ({@code tokenizer.chat_template}) or one given as text. */
public final class ChatTemplates {
    private ChatTemplates() {
    }

    /** A model's template and its special tokens as templates expect them (bos_token, eos_token). */
    public record ModelTemplate(String source, Map<String, Object> specialTokens) {
    }

    public static ModelTemplate of(Path gguf) {
        try (ModelFile file = ModelFile.open(gguf)) {
            String source = file.find("tokenizer.chat_template").map(Object::toString).orElseThrow(() ->
                    new EngineException(gguf.getFileName() + ": has no chat template (key tokenizer.chat_template)"));
            Map<String, Object> tokens = new LinkedHashMap<>();
            Tokenizer t = Tokenizers.fromGguf(file.metadata());
            if (t.bos() >= 0) tokens.put("bos_token", t.tokenText(t.bos()));
            if (t.eos() >= 0) tokens.put("eos_token", t.tokenText(t.eos()));
            return new ModelTemplate(source, tokens);
        }
    }

    /**
     * Renders {@code source} with a request-like context: {@code chat_template_kwargs} are merged into the
     * top level (as vLLM does), and the defaults fill only what the context leaves out.
     */
    @SuppressWarnings("unchecked")
    public static String render(String source, Map<String, Object> context, Map<String, Object> defaults) {
        Map<String, Object> merged = new LinkedHashMap<>(defaults);
        merged.putAll(context);
        if (merged.remove("chat_template_kwargs") instanceof Map<?, ?> kwargs) merged.putAll((Map<String, Object>) kwargs);
        return ChatTemplate.parse(source).render(merged);
    }
}
