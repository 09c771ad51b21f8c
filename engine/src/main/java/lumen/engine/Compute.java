package lumen.engine;

import lumen.tensor.Ops;
import lumen.tensor.parallel.ThreadPool;

/**
 * What a forward pass computes with: the tensor operations, the thread pool they run on, a trace, and
 * buffers reused between passes. One pass at a time.
 */
public record Compute(Ops ops, ThreadPool pool, Trace trace, Scratch scratch) {
}
