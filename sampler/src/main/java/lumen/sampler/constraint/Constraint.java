package lumen.sampler.constraint;

/** One compiled constraint over a vocabulary; cheap to start many matchers from (thread-safe). */
public interface Constraint {
    /** A fresh matcher at the start of the output. */
    Matcher start();
}
