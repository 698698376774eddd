package dev.headroom.lab.run;

/** Makes the work of each arrival: a fixed request, or a weighted scenario mix. Called from one thread. */
@FunctionalInterface
public interface Workload {
    Work arrival(long index);

    static Workload of(RequestSpec request) {
        Work work = () -> request;
        return index -> work;
    }
}
