package dev.headroom.analytics.window;

/**
 * Where the engine sends window results: the rollup writer, the dashboard, a test. Called on an engine
 * thread; must not block for long (hand heavy work to a thread of its own).
 */
@FunctionalInterface
public interface WindowSink {
    void accept(WindowResult result);
}
