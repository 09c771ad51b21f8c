package lumen.tensor.parallel;

/** Work over the index range [start, end). */
@FunctionalInterface
public interface RangeTask {
    void run(int start, int end);
}
