package lumen.engine.cache;

/** What one sequence carries from one forward call to the next: a KV cache now, SSM state for Mamba later. */
public interface SequenceState {
    /** How many positions it can hold. */
    int capacity();
}
