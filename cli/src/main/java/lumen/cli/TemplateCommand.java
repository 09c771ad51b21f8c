package lumen.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import lumen.LumenException;
import lumen.api.ChatTemplates;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lumen template}: renders a chat template with a JSON context and prints it exactly. */
@Command(name = "template", description = "Render a chat template with a context (messages, tools, ...) and print it exactly.", mixinStandardHelpOptions = true)
public final class TemplateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf", description = "the model's own template (tokenizer.chat_template)")
        Path model;

        @Option(names = "--template", paramLabel = "FILE", description = "a .jinja template file")
        Path template;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source = new Source();

    @Option(names = "--context", required = true, paramLabel = "CONTEXT.json", description = "JSON object: messages, tools, add_generation_prompt, chat_template_kwargs, ...")
    Path context;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
        String templateSource;
        Map<String, Object> defaults = new LinkedHashMap<>();
        if (source.template != null) {
            if (!Files.exists(source.template)) throw new LumenException(source.template + ": no such file");
            templateSource = Files.readString(source.template, StandardCharsets.UTF_8);
        } else {
            Path m = ModelOptionsMixin.existingModel(source.model);
            ChatTemplates.ModelTemplate t = ChatTemplates.of(m);
            templateSource = t.source();
            defaults.putAll(t.specialTokens());
        }
        if (!Files.exists(context)) throw new LumenException(context + ": no such file");
        Map<String, Object> ctx;
        try {
            ctx = new ObjectMapper().readValue(context.toFile(), LinkedHashMap.class);
        } catch (JsonProcessingException e) {
            throw new LumenException(context + ": not a JSON object: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        spec.commandLine().getOut().print(ChatTemplates.render(templateSource, ctx, defaults));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
