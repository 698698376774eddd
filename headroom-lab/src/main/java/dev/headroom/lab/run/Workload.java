package dev.headroom.lab.run;

/** Makes the work of each arrival: a fixed request, or a weighted scenario mix. Called from one thread. */
@FunctionalInterface
public interface Workload {
    Work arrival(long index);

    /** Every arrival sends the same request; the engine encodes it once for the whole run. */
    static Workload of(RequestSpec request) {
        return new Fixed(request);
    }

    record Fixed(RequestSpec request) implements Workload, Work {
        @Override
        public Work arrival(long index) {
            return this;
        }

        @Override
        public RequestSpec first() {
            return request;
        }
    }
}
