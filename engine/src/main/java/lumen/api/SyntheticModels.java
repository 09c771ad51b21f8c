package lumen.api;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import lumen.engine.synthetic.SyntheticLlama;

/** Random-weight models of real shapes ("llama-1b:Q4_0"), written once, for reproducible benchmarks. */
public final class SyntheticModels {
    private SyntheticModels() {
    }

    /** Writes the model described by {@code spec} into dir if it is not there yet; returns its path. */
    public static Path ensure(String spec, Path dir, Consumer<String> log) {
        return SyntheticLlama.ensure(spec, dir, log);
    }

    /** The known "shape:TYPE" specs, for help texts. */
    public static final class Shapes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> specs = new ArrayList<>();
            for (var s : SyntheticLlama.SHAPES) specs.add(s.name() + ":{" + String.join(",", SyntheticLlama.FILE_TYPES) + "}");
            return specs.iterator();
        }
    }
}
